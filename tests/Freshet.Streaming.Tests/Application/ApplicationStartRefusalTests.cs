using Freshet.Application.TestHost;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application;

/// <summary>An instance that cannot run the application here is refused at ExecuteAsync with the reason, before it joins the group or writes anything.</summary>
public sealed class ApplicationStartRefusalTests : IAsyncLifetime
{
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_RepartitionTopicCreatedByHandWithTheWrongPartitionCount_IsRefusedNamingBothCounts()
    {
        _broker.Store.CreateTopic("in", 6);
        _broker.Store.CreateTopic("app-window-sums-repartition", 2);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Environment().ExecuteAsync());

        Assert.Contains("'app-window-sums-repartition' has 2 partitions; the application needs 6", error.Message, StringComparison.Ordinal);
        Assert.Empty(_broker.Store.GetPartition("app-window-sums-repartition", 0).ReadCommittedRecords(0));
    }

    [Fact]
    public async Task ExecuteAsync_SourceTopicMissing_IsRefusedNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Environment().ExecuteAsync());

        Assert.Contains("The source topic 'in' does not exist", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kafka and <c>freshet broker</c> create a topic that a client asks about by default (auto.create.topics.enable):
    /// the application's metadata lookups must not, or a missing source topic would appear with one partition and
    /// every internal topic would be created with one partition before the application creates it.
    /// </summary>
    [Fact]
    public async Task ExecuteAsync_SourceTopicMissingOnABrokerThatCreatesTopicsOnRequest_IsRefusedAndNotCreated()
    {
        await using var broker = await InProcessBroker.StartAsync(autoCreateTopics: true);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Environment(broker.BootstrapServers).ExecuteAsync());

        Assert.Contains("The source topic 'in' does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("in", broker.Store.ListTopics());
    }

    private StreamEnvironment Environment() => Environment(_broker.BootstrapServers);

    private static StreamEnvironment Environment(string bootstrapServers)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions { ApplicationId = "app", BootstrapServers = bootstrapServers },
        });
        ApplicationTestJob.Build(env, bootstrapServers, "in", bounded: false).Print();
        return env;
    }
}
