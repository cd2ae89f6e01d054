using Freshet.Application.TestHost;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// An application on a cluster that creates unknown topics when a client asks for them (Kafka's default
/// <c>auto.create.topics.enable=true</c>): looking up its changelog topics must not create them with the cluster's
/// default partition count, which its tasks would then refuse.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationAutoCreateTopicsTests : IAsyncLifetime
{
    private const int Partitions = 6;
    private readonly string _state = Path.Combine(Path.GetTempPath(), "freshet-app-autocreate-tests", Guid.NewGuid().ToString("N"));
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync(autoCreateTopics: true);
        _broker.Store.CreateTopic("in", Partitions);
        _broker.Store.CreateTopic("out", 1);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public async Task ExecuteAsync_BrokerAutoCreatesTopics_ChangelogsGetTheTaskCountAndTheOutputIsExact()
    {
        for (var p = 0; p < Partitions; p++)
        {
            var records = Enumerable.Range(0, 50).Select(i => ((string?)null, (string?)$"k{((i * 7) + p) % 13}:{i}", 1_000L + (i * 7))).ToList();
            records.Add((null, "flush", 10_000_000L));
            await _broker.ProduceAsync("in", p, records);
        }

        var single = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<string>();
        ApplicationTestJob.Build(single, _broker.BootstrapServers, "in", bounded: true).SinkTo(sink);
        await JobRunner.RunAsync(single);
        var expected = sink.Results.Order(StringComparer.Ordinal).ToList();

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions
            {
                ApplicationId = "app",
                BootstrapServers = _broker.BootstrapServers,
                SessionTimeout = TimeSpan.FromSeconds(6),
                HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                StateDirectory = _state,
            },
        });
        ApplicationTestJob.Build(env, _broker.BootstrapServers, "in", bounded: false)
            .SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out" }, Serializers.Utf8String);
        var job = await env.ExecuteAsync("auto-create");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Committed().Count < expected.Count && !job.Completion.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.False(job.Completion.IsCompleted, $"The instance stopped: {job.Completion.Exception?.InnerException?.Message}");
            Assert.Equal(expected, Committed());
            var internalTopics = _broker.Store.ListTopics().Where(static t => t.StartsWith("app-", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(internalTopics);
            Assert.All(internalTopics, topic => Assert.Equal(Partitions, _broker.Store.DescribeTopic(topic).Partitions.Count));
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    private List<string> Committed() =>
        [.. _broker.Store.GetPartition("out", 0).ReadCommittedRecords(0).Select(static r => System.Text.Encoding.UTF8.GetString(r.Value!)).Order(StringComparer.Ordinal)];
}
