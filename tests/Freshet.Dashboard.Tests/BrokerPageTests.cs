using Freshet.Dashboard.Tests.Support;
using OpenQA.Selenium;

namespace Freshet.Dashboard.Tests;

/// <summary>The broker view in headless chromium against a real broker with a topic, a consumer group and an open transaction.</summary>
public sealed class BrokerPageTests(BrokerWithClients broker) : IClassFixture<BrokerWithClients>
{
    [Fact]
    public async Task BrokerView_ShowsTopicPartitionsGroupLagAndTheOpenTransaction()
    {
        using var browser = Browser.Start();

        browser.Driver.Navigate().GoToUrl(broker.Dashboard.Address);

        var partitions = await browser.WaitForAsync($"#topics-table tr[data-topic='{BrokerWithClients.Topic}']", BrokerWithClients.Partitions, "the topic's partitions");
        Assert.Equal(BrokerWithClients.Partitions, partitions.Count);
        Assert.Contains(BrokerWithClients.Topic, partitions[0].Text, StringComparison.Ordinal);
        Assert.Equal(broker.Broker.ClusterId, browser.Driver.FindElement(By.Id("broker-cluster-id")).Text);
        Assert.Equal(broker.Broker.BootstrapAddress, browser.Driver.FindElement(By.Id("broker-listener")).Text);

        var group = (await browser.WaitForAsync($".group[data-group-id='{BrokerWithClients.GroupId}'] tr[data-lag]", BrokerWithClients.Partitions, "the group's lag per partition"))[0];
        var totalLag = browser.Driver.FindElement(By.CssSelector($".group[data-group-id='{BrokerWithClients.GroupId}'] [data-field='total-lag']")).Text;
        // Ten records per partition, four committed, and partition 0 also holds the open transaction's record.
        Assert.Equal(((BrokerWithClients.RecordsPerPartition - BrokerWithClients.CommittedPerPartition) * BrokerWithClients.Partitions + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), totalLag);
        Assert.NotNull(group);
        Assert.Single(browser.Driver.FindElements(By.CssSelector($".group[data-group-id='{BrokerWithClients.GroupId}'] tr[data-member-id]")));

        var transaction = (await browser.WaitForAsync($"#transactions-table tr[data-transactional-id='{BrokerWithClients.TransactionalId}']"))[0];
        Assert.Contains("Ongoing", transaction.Text, StringComparison.Ordinal);
        Assert.Contains($"{BrokerWithClients.Topic}-0", transaction.Text, StringComparison.Ordinal);
        browser.SaveScreenshot("broker-view");
    }
}
