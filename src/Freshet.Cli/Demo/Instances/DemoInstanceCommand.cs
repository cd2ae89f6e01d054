using System.Runtime.InteropServices;
using System.Text.Json;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// <c>freshet demo-instance --bootstrap-server HOST:PORT --instance NAME --state DIR</c>, hidden from help: one
/// instance of the application-mode demo, started by <see cref="ApplicationDemo"/> as a child process. It joins the
/// application <see cref="ApplicationDemoJob.ApplicationId"/> with the static group instance id NAME and a short
/// session timeout, so the tasks of a killed instance move within seconds.
/// <para>
/// What it prints on standard output, for the demo to read: <see cref="JoinedLine"/> once it has joined, then
/// <see cref="StatusPrefix"/> and its <see cref="ApplicationInstanceStatus"/> as JSON every
/// <see cref="StatusInterval"/>. It stops cleanly (leaves the group; its tasks move at once) on SIGTERM. When its
/// standard input ends, the demo that started it is gone, and with it the broker: the instance tries the same clean
/// stop but ends its process after <see cref="OrphanGrace"/>, since nothing it could still say reaches a cluster,
/// and an instance must not outlive its demo. It ignores SIGINT:
/// a terminal's Ctrl+C reaches every process of the foreground group, and the demo stops its instances itself, after
/// its exactly-once check. Exit codes: 0 stopped, 1 failed (one sentence on stderr).
/// </para>
/// </summary>
internal static class DemoInstanceCommand
{
    /// <summary>The hidden command's name.</summary>
    public const string Name = "demo-instance";

    /// <summary>Printed once the instance has joined the application.</summary>
    public const string JoinedLine = "joined";

    /// <summary>Starts each status line; the rest of the line is the status as JSON.</summary>
    public const string StatusPrefix = "status ";

    /// <summary>How long the group waits for a silent instance (a killed one) before moving its tasks.</summary>
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often an instance prints its status.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an instance whose demo is gone tries to stop cleanly before its process ends.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(5);

    /// <summary>Runs one instance until it is stopped or fails; <paramref name="input"/> is watched for its end.</summary>
    public static async Task<int> RunAsync(string bootstrapServers, string instance, string stateDirectory, TextReader input, TextWriter output, TextWriter error)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions
            {
                ApplicationId = ApplicationDemoJob.ApplicationId,
                BootstrapServers = bootstrapServers,
                GroupInstanceId = instance,
                SessionTimeout = SessionTimeout,
                // A tenth of the session: on a loaded machine several heartbeats may run late before the instance loses its tasks.
                HeartbeatInterval = SessionTimeout / 10,
                RebalanceTimeout = TimeSpan.FromSeconds(30),
                StateDirectory = stateDirectory,
            },
        });
        ApplicationDemoJob.Build(env, bootstrapServers, instance);

        using var stop = new CancellationTokenSource();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        new Thread(() => WaitForEnd(input, stop)) { IsBackground = true, Name = "demo-instance-stdin" }.Start();

        JobHandle job;
        try
        {
            job = await env.ExecuteAsync($"freshet demo ({instance})", stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }

        output.WriteLine(JoinedLine);
        while (!job.Completion.IsCompleted && !stop.IsCancellationRequested)
        {
            if (job.Application is { } status)
            {
                output.WriteLine(StatusPrefix + JsonSerializer.Serialize(status, DemoJsonContext.Default.ApplicationInstanceStatus));
            }

            await Task.WhenAny(job.Completion, Task.Delay(StatusInterval, stop.Token)).ConfigureAwait(false);
        }

        await job.CancelAsync().ConfigureAwait(false);
        if (job.Status == JobStatus.Failed)
        {
            error.WriteLine($"freshet {Name}: {instance} failed: {job.Completion.Exception?.InnerException?.Message}");
            return FreshetCommand.Failure;
        }

        return 0;
    }

    /// <summary>Blocks until <paramref name="input"/> ends, then requests the stop and ends the process after <see cref="OrphanGrace"/> (on its own background thread).</summary>
    private static void WaitForEnd(TextReader input, CancellationTokenSource stop)
    {
        try
        {
            while (input.ReadLine() is not null)
            {
            }

            stop.Cancel();
            Thread.Sleep(OrphanGrace);
            Environment.Exit(FreshetCommand.Failure);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Standard input closed under the reader, or the instance already stopped: either way nothing to watch.
        }
    }
}
