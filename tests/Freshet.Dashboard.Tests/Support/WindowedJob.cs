using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Dashboard.Tests.Support;

/// <summary>
/// A real job for the dashboard to show, running until disposed: an unbounded generator (200 records a second, event
/// times 5 ms apart from the wall clock at the start, so the watermark keeps pace with the clock), a <c>validate</c> map that throws once when <see cref="InjectFailure"/> arms it, a key exchange,
/// one-second tumbling event-time sums and a collecting sink; checkpoints every 300 ms and up to three restarts. Its
/// dashboard is started on a free port of 127.0.0.1 and <see cref="Http"/> is a client for it.
/// </summary>
public sealed class WindowedJob : IAsyncDisposable
{
    public const string FailureMessage = "injected failure for the dashboard test";

    private int _failureArmed;

    private WindowedJob(string root)
    {
        Root = root;
    }

    /// <summary>A temporary directory for checkpoints and savepoints, deleted on dispose.</summary>
    public string Root { get; }

    public JobHandle Job { get; private set; } = null!;

    public DashboardServer Dashboard { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public CollectingSink<long> Sink { get; } = new();

    /// <param name="restoreFromSavepoint">A savepoint to start from, or null.</param>
    public static async Task<WindowedJob> StartAsync(string name, string? restoreFromSavepoint = null)
    {
        var job = new WindowedJob(Path.Combine(Path.GetTempPath(), "freshet-dashboard-" + Guid.NewGuid().ToString("N")));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(job.Root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(300),
                RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.FromMilliseconds(200)),
            },
            RestoreFromSavepoint = restoreFromSavepoint,
        });
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        env.FromGenerator(i => i, watermarkStrategy: WatermarkStrategy.ForMonotonousTimestamps<long>().WithTimestampAssigner((v, _) => startMs + (v * 5)), recordsPerSecond: 200, name: "numbers")
            .Map(job.Validate)
            .WithName("validate")
            .KeyBy(v => v % 4)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Reduce((a, b) => a + b)
            .WithName("one second sums")
            .SinkTo(job.Sink);
        job.Job = await env.ExecuteAsync(name);
        job.Dashboard = await JobDashboard.StartAsync(job.Job, new DashboardOptions());
        job.Http = new HttpClient { BaseAddress = job.Dashboard.Address, Timeout = TimeSpan.FromSeconds(60) };
        return job;
    }

    /// <summary>The next record through <c>validate</c> throws <see cref="FailureMessage"/> (once).</summary>
    public void InjectFailure() => Volatile.Write(ref _failureArmed, 1);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Dashboard.DisposeAsync();
        await Job.CancelAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private long Validate(long value) =>
        Interlocked.Exchange(ref _failureArmed, 0) == 1 ? throw new InvalidOperationException(FailureMessage) : value;
}
