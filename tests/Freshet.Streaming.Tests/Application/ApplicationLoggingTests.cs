using Freshet.Application.TestHost;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Freshet.Streaming.Tests.Application;

/// <summary>An application instance logs the assignment it computed as leader and the tasks it was given (docs/operations.md).</summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationLoggingTests : IAsyncLifetime
{
    private const int Partitions = 2;
    private readonly string _state = Path.Combine(Path.GetTempPath(), "freshet-app-logging-tests", Guid.NewGuid().ToString("N"));
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

    [Fact]
    public async Task SingleInstance_LogsTheAssignmentAndItsTasks()
    {
        using var log = new RecordedLog();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            LoggerFactory = log.Factory,
            Application = new ApplicationOptions
            {
                ApplicationId = "logged",
                BootstrapServers = _broker.BootstrapServers,
                SessionTimeout = TimeSpan.FromSeconds(6),
                HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                StateDirectory = _state,
            },
        });
        ApplicationTestJob.Build(env, _broker.BootstrapServers, "in", bounded: false).Print();
        var job = await env.ExecuteAsync("logged");
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (log.Events(1100).Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no tasks assigned within 60 s");
                await Task.Delay(50);
            }
        }
        finally
        {
            await job.CancelAsync();
        }

        var computed = Assert.Single(log.Events(1102));
        Assert.Equal(StreamingLog.ApplicationCategory, computed.Category);
        Assert.Equal("logged", computed.GetStructuredStateValue("ApplicationId"));
        Assert.Equal("1", computed.GetStructuredStateValue("MemberCount"));
        var taskCount = int.Parse(computed.GetStructuredStateValue("TaskCount")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(taskCount >= Partitions, $"{taskCount} tasks");

        var assigned = log.Events(1100)[0];
        Assert.Equal(LogLevel.Information, assigned.Level);
        Assert.Equal("logged", assigned.GetStructuredStateValue("ApplicationId"));
        Assert.Contains("0_0", assigned.GetStructuredStateValue("ActiveTasks"), StringComparison.Ordinal);
        Assert.Contains("0_1", assigned.GetStructuredStateValue("ActiveTasks"), StringComparison.Ordinal);
        Assert.NotEqual("-1", assigned.GetStructuredStateValue("Generation"));
    }
}
