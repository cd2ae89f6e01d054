using Freshet.Application.TestHost;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// Several tasks of one instance failing for good at the same moment: the instance fails once, with the tasks' reason,
/// and releases its clients once (each failing task finishes the instance; a client released twice crashes the
/// process in librdkafka).
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationTaskFailureTests : IAsyncLifetime
{
    private const int Partitions = 6;
    private readonly string _state = Path.Combine(Path.GetTempPath(), "freshet-app-failure-tests", Guid.NewGuid().ToString("N"));
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic("in", Partitions);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    /// <summary>Repeated on fresh applications: the failures race, and one run may not interleave them.</summary>
    [Fact]
    public async Task Instance_AllSourceTasksRefuseAHandMadeChangelog_FailsOnceNamingTheTopic()
    {
        for (var run = 0; run < 4; run++)
        {
            var applicationId = $"app{run}";
            _broker.Store.CreateTopic($"{applicationId}-0_Kafka_Source__in-changelog", 1);
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Application = new ApplicationOptions
                {
                    ApplicationId = applicationId,
                    BootstrapServers = _broker.BootstrapServers,
                    SessionTimeout = TimeSpan.FromSeconds(6),
                    HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                    StateDirectory = _state,
                },
            });
            ApplicationTestJob.Build(env, _broker.BootstrapServers, "in", bounded: false).Print();
            var job = await env.ExecuteAsync("failing tasks");

            var failure = await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Contains($"'{applicationId}-0_Kafka_Source__in-changelog' has 1 partitions; sub-topology 0 has {Partitions} tasks", failure.Message, StringComparison.Ordinal);
        }
    }
}
