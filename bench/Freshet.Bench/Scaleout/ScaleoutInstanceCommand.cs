using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// The hidden sub-command <c>Freshet.Bench scaleout-instance</c>: one application instance of <see cref="ScaleoutJob"/>
/// as its own OS process, started by <see cref="ScaleoutSuite"/> (not meant to be run by hand). Arguments:
/// <c>--bootstrap B --app ID --input TOPIC --output TOPIC --state DIR --name NAME</c>, the <see cref="JobShape"/> and the
/// <see cref="InstanceSettings"/>. SIGTERM, or the end of its standard input (the suite ended), stops it (it leaves the
/// group), exit code 0.
/// <para>
/// Standard output, one line per event, read by <see cref="InstanceProcess"/> (times are Unix milliseconds):
/// <c>joined</c> once the instance runs; <c>status ms=T gen=G rebalances=N tasks=ID:STATE:RESTORED:COMMITS:RESTARTS,...</c> whenever a task's
/// state or the generation changes and every 250 ms; <c>restored ms=T gen=G task=ID records=R restore_ms=D</c> when a
/// task goes from restoring to running, D measured from the first poll that saw it restoring (so up to one poll
/// interval, 10 ms, short).
/// </para>
/// </summary>
internal static class ScaleoutInstanceCommand
{
    public const string Name = "scaleout-instance";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private const long StatusEveryMs = 250;

    public static int Run(string[] args)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new InstanceSettings();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] is "--bootstrap" or "--app" or "--input" or "--output" or "--state" or "--name" or "--keys" or "--window-ms")
            {
                named[args[i]] = args[i + 1];
            }
            else if (!settings.TryApply(args[i], args[i + 1], out settings))
            {
                Console.Error.WriteLine($"{Name}: unknown or invalid option '{args[i]} {args[i + 1]}'.");
                return 2;
            }
        }

        if (args.Length % 2 != 0 || named.Count != 8
            || !long.TryParse(named["--keys"], NumberStyles.None, CultureInfo.InvariantCulture, out var keys) || keys <= 0
            || !long.TryParse(named["--window-ms"], NumberStyles.None, CultureInfo.InvariantCulture, out var windowMs) || windowMs <= 0)
        {
            Console.Error.WriteLine($"usage: Freshet.Bench {Name} --bootstrap B --app ID --input TOPIC --output TOPIC --state DIR --name NAME --keys N --window-ms MS [--commit-ms MS] [--session-ms MS] [--heartbeat-ms MS] [--static-membership true|false] [--standbys N]");
            return 2;
        }

        var bootstrap = named["--bootstrap"];
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = settings.ToApplicationOptions(named["--app"], bootstrap, named["--name"], named["--state"]),
        });
        ScaleoutJob.Build(env, bootstrap, named["--input"], named["--output"], new JobShape(keys, windowMs), exactlyOnceSinkPrefix: null);

        JobHandle job;
        try
        {
            job = env.ExecuteAsync("scaleout " + named["--name"]).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"refused: {e.Message}");
            return 3;
        }

        Console.WriteLine("joined");
        using var stop = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _ = job.CancelAsync();
        });
        ChildProcess.StopWhenParentEnds(() => _ = job.CancelAsync());
        Report(job);
        try
        {
            job.Completion.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"failed: {e}");
            return 1;
        }

        return 0;
    }

    /// <summary>Polls the instance's status until the job ends, printing status and restore lines (see the type's summary).</summary>
    private static void Report(JobHandle job)
    {
        // Per task: its state at the last poll and when its current restore began (Unix ms).
        var tasks = new Dictionary<string, (ApplicationTaskState State, long RestoreStartedMs)>(StringComparer.Ordinal);
        var generation = int.MinValue;
        var lastSignature = string.Empty;
        long lastStatusMs = 0, lastPollMs = NowMs();
        while (!job.Completion.IsCompleted)
        {
            var status = job.Application!;
            var now = NowMs();
            if (status.Generation != generation)
            {
                // A rebalance restarts every task: each restores again under the new generation.
                tasks.Clear();
                generation = status.Generation;
            }

            var signature = new StringBuilder();
            var line = new StringBuilder();
            foreach (var task in status.Tasks)
            {
                var known = tasks.TryGetValue(task.TaskId, out var previous);
                var restoreStarted = !known ? (task.State == ApplicationTaskState.Restoring ? now : lastPollMs)
                    : previous.State != ApplicationTaskState.Restoring && task.State == ApplicationTaskState.Restoring ? now
                    : previous.RestoreStartedMs;
                if (task.State == ApplicationTaskState.Running && (!known || previous.State == ApplicationTaskState.Restoring))
                {
                    Console.WriteLine($"restored ms={now} gen={generation} task={task.TaskId} records={task.RestoredRecords} restore_ms={now - restoreStarted}");
                }

                tasks[task.TaskId] = (task.State, restoreStarted);
                signature.Append(task.TaskId).Append(':').Append(task.State).Append(',');
                line.Append(line.Length == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{task.TaskId}:{task.State}:{task.RestoredRecords}:{task.Commits}:{task.Restarts}");
            }

            foreach (var gone in tasks.Keys.Where(id => !status.Tasks.Any(t => t.TaskId == id)).ToList())
            {
                tasks.Remove(gone);
            }

            var text = signature.ToString();
            if (text != lastSignature || now - lastStatusMs >= StatusEveryMs)
            {
                Console.WriteLine($"status ms={now} gen={generation} rebalances={status.Rebalances} tasks={line}");
                lastSignature = text;
                lastStatusMs = now;
            }

            lastPollMs = now;
            Task.WhenAny(job.Completion, Task.Delay(Poll)).GetAwaiter().GetResult();
        }
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
