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

    private StreamEnvironment Environment()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions { ApplicationId = "app", BootstrapServers = _broker.BootstrapServers },
        });
        ApplicationTestJob.Build(env, _broker.BootstrapServers, "in", bounded: false).Print();
        return env;
    }
}
