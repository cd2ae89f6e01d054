using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Freshet.Broker;
using Freshet.Cli.Targets;
using Freshet.Log;
using Freshet.Log.Topics;
using Freshet.Streaming.Jobs;
using Spectre.Console;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// <c>freshet demo --instances N</c>: application mode live. Starts a broker on 127.0.0.1 over a log in a temporary
/// directory (or <c>--data</c>), creates the input topic with <see cref="InputPartitions"/> partitions, produces
/// sensor readings into it, and runs <see cref="ApplicationDemoJob"/> as N <c>freshet demo-instance</c> processes of
/// one application. It shows which instance holds which task and how many rankings each has committed, plays the
/// <see cref="FailoverScenario"/> (one instance killed with SIGKILL, its tasks moving to the others, the instance
/// started again), and at the end stops the readings, waits for the windows they closed, stops the instances with
/// SIGTERM and runs <see cref="ExactlyOnceCheck"/> over the committed output. Exit code 0 when the check passed and
/// every instance behaved, 1 otherwise. The first Ctrl+C (or SIGTERM) ends the run early and still checks; a second
/// one skips the wait for the last windows.
/// </summary>
internal static class ApplicationDemo
{
    /// <summary>The most instances the demo starts: more would only share the machine's cores thinner.</summary>
    public const int MaxInstances = 8;

    /// <summary>Partitions of the input topic: the job's tasks are <see cref="ApplicationDemoJob.SubTopologies"/> × this.</summary>
    public const int InputPartitions = 6;

    /// <summary>The run's length when none is given.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);

    /// <summary>The readings rate when none is given: enough for full windows, light enough for several processes on a laptop.</summary>
    public const double DefaultReadingsPerSecond = 500;

    /// <summary>
    /// The lowest level of the broker's and the log's events shown when <c>--log-level</c> is not given: warnings, since
    /// the demo's own view narrates the rebalances and task moves that the broker logs at Information.
    /// </summary>
    public const Microsoft.Extensions.Logging.LogLevel DefaultLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning;

    private const int Sensors = 200;
    private const int EventsShown = 8;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LastWindowsTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(ApplicationDemoOptions options, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var temporary = options.DataDirectory is null;
        var directory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "freshet-demo-instances-" + Guid.NewGuid().ToString("N")[..12]));
        if (!temporary && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new ArgumentException($"--data {directory} is not empty; the demo with --instances checks the output of one run, so give it a new or empty directory.");
        }

        try
        {
            return await RunInAsync(options, directory, temporary, console, output, error).ConfigureAwait(false);
        }
        finally
        {
            if (temporary)
            {
                DeleteQuietly(directory);
            }
        }
    }

    private static async Task<int> RunInAsync(ApplicationDemoOptions options, string directory, bool temporary, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var interrupted = false;
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (stop.IsCancellationRequested)
            {
                abort.Cancel();
            }
            else
            {
                interrupted = true;
                stop.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

        using var loggerFactory = ConsoleLogging.Create(options.LogLevel);
        using var store = LogStore.Open(Path.Combine(directory, "log"), new LogStoreOptions { LoggerFactory = loggerFactory });
        store.CreateTopic(SensorDemoJob.InputTopic, InputPartitions, TopicConfig.Default with { RetentionMs = (long)TimeSpan.FromHours(1).TotalMilliseconds });
        store.CreateTopic(SensorDemoJob.OutputTopic, 1);
        KafkaBroker broker;
        try
        {
            // Every topic is created explicitly (the demo's by the demo, the internal ones by the application), so
            // a client asking for an unknown topic gets an error rather than a topic of the wrong partition count.
            broker = await KafkaBroker.StartAsync(store, new BrokerOptions { Port = options.Port, AutoCreateTopics = false, LoggerFactory = loggerFactory }).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new CliException($"cannot listen on 127.0.0.1:{options.Port}: {e.Message}.");
        }

        var instances = new DemoInstanceProcess[options.Instances];
        var tally = new OutputTally(store.GetPartition(SensorDemoJob.OutputTopic, 0));
        var failures = new List<string>();
        var interactive = console.Profile.Capabilities.Interactive;
        void Say(string text)
        {
            if (interactive)
            {
                console.MarkupLine(Markup.Escape(text));
            }
            else
            {
                output.WriteLine(text);
            }
        }

        {
            var tasks = ApplicationDemoJob.SubTopologies * InputPartitions;
            var scenario = new FailoverScenario(options.Instances, tasks, killAt: options.Duration * 0.3);
            Say(options.Instances == 1
                ? $"Freshet application mode: one instance (process) of the job runs its {tasks} tasks, as a member of the application's group."
                : $"Freshet application mode: {options.Instances} instances (processes) of one job share its {tasks} tasks through the Kafka group protocol.");
            Say($"Broker on {broker.BootstrapAddress}; data in {directory}{(temporary ? " (removed at the end)" : "")}.");
            Say(string.Create(CultureInfo.InvariantCulture, $"Job '{ApplicationDemoJob.ApplicationId}': {SensorDemoJob.InputTopic} ({InputPartitions} partitions) → drop glitches → by sensor: average over {SensorDemoJob.WindowSize.TotalSeconds:0} s windows every {SensorDemoJob.WindowSlide.TotalSeconds:0} s → by window: top {SensorDemoJob.TopN} → {SensorDemoJob.OutputTopic}, exactly-once (one Kafka transaction per task and commit)."));
            Say($"Watch the committed rankings: kcat -b {broker.BootstrapAddress} -C -t {SensorDemoJob.OutputTopic} -X isolation.level=read_committed");
            var failover = options.Instances == 1 ? "it is started again and takes its tasks back from the changelogs" : "its tasks move to the others; it is then started again";
            Say(string.Create(CultureInfo.InvariantCulture, $"Plan: from {scenario.KillAt.TotalSeconds:0} s one instance is killed with SIGKILL and {failover}; after {options.Duration.TotalSeconds:0} s the readings stop and the output is checked: every closed window exactly once."));

            var events = new List<(TimeSpan At, string Text)>();
            var reportedExits = new HashSet<int>();
            using var producer = new SensorProducer(store, new SensorFleet(Sensors, Environment.TickCount), options.ReadingsPerSecond, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            try
            {
                producer.Start();
                for (var i = 0; i < instances.Length; i++)
                {
                    instances[i] = StartInstance(i, broker.BootstrapAddress, directory);
                }

                Event($"Started {string.Join(", ", instances.Select(static i => $"{i.Name} (pid {i.ProcessId})"))}.");
                stop.CancelAfter(options.Duration);
                var ending = false;
                var stage = "Running";
                long[] closedWindows = [];
                var endedAt = TimeSpan.Zero;
                var lastLine = TimeSpan.Zero;

                void Event(string text)
                {
                    events.Add((clock.Elapsed, text));
                    if (!interactive)
                    {
                        output.WriteLine(ApplicationDemoView.EventLine(clock.Elapsed, text));
                    }
                }

                DemoViewState View() => new(
                    clock.Elapsed,
                    options.Duration,
                    stage,
                    producer.Produced,
                    tally.Results.Count,
                    instances.Select(i => Row(i, tally)).ToArray(),
                    events.TakeLast(EventsShown).ToArray());

                // One step of the run; false once it is over (the last windows arrived, or the wait for them ended).
                bool Step()
                {
                    tally.ReadNew();
                    var step = scenario.Advance(clock.Elapsed, instances.Select(Observe).ToArray(), tally.Results.Count, ending || stop.IsCancellationRequested);
                    foreach (var text in step.Events)
                    {
                        Event(text);
                    }

                    if (step.Action == ScenarioAction.Kill)
                    {
                        instances[step.Instance].Kill();
                    }
                    else if (step.Action == ScenarioAction.Restart)
                    {
                        instances[step.Instance].Dispose();
                        reportedExits.Remove(step.Instance);
                        instances[step.Instance] = StartInstance(step.Instance, broker.BootstrapAddress, directory);
                        Event($"Started {instances[step.Instance].Name} again (pid {instances[step.Instance].ProcessId}), with the same group instance id.");
                    }

                    for (var i = 0; i < instances.Length; i++)
                    {
                        if (instances[i] is { HasExited: true, Killed: false } exited && reportedExits.Add(i))
                        {
                            var failure = $"{exited.Name} exited unexpectedly with code {exited.ExitCode}: {exited.Tail}";
                            failures.Add(failure);
                            Event(failure);
                        }
                    }

                    if (!ending && stop.IsCancellationRequested)
                    {
                        ending = true;
                        endedAt = clock.Elapsed;
                        producer.Dispose();
                        closedWindows = ExactlyOnceCheck.ClosedWindows(InputOf(store));
                        stage = "Checking";
                        Event(string.Create(CultureInfo.InvariantCulture, $"{(interrupted ? "Interrupted" : "Time is up")}: readings stopped at {producer.Produced:N0}; they close {closedWindows.Length} windows, waiting for the last ones to be committed."));
                    }

                    if (ending)
                    {
                        var written = tally.Results.Select(static r => r.WindowEndMs).ToHashSet();
                        if (closedWindows.All(written.Contains))
                        {
                            return false;
                        }

                        var reason = abort.IsCancellationRequested ? "Interrupted again: not waiting for the last windows."
                            : instances.All(static i => i.HasExited) ? "No instance runs: not waiting for the last windows."
                            : clock.Elapsed - endedAt > LastWindowsTimeout ? string.Create(CultureInfo.InvariantCulture, $"The last windows did not arrive within {LastWindowsTimeout.TotalSeconds:0} s.")
                            : null;
                        if (reason is not null)
                        {
                            Event(reason);
                            return false;
                        }
                    }

                    if (!interactive && clock.Elapsed - lastLine >= LineEvery)
                    {
                        lastLine = clock.Elapsed;
                        output.WriteLine(ApplicationDemoView.Line(View()));
                    }

                    return true;
                }

                if (interactive)
                {
                    await console.Live(ApplicationDemoView.Render(View())).StartAsync(async live =>
                    {
                        while (Step())
                        {
                            live.UpdateTarget(ApplicationDemoView.Render(View()));
                            await Task.Delay(Tick, CancellationToken.None).ConfigureAwait(false);
                        }

                        live.UpdateTarget(ApplicationDemoView.Render(View()));
                    }).ConfigureAwait(false);
                }
                else
                {
                    while (Step())
                    {
                        await Task.Delay(Tick, CancellationToken.None).ConfigureAwait(false);
                    }

                    output.WriteLine(ApplicationDemoView.Line(View()));
                }

                if (!scenario.TasksMoved)
                {
                    Say("No task moved: the run ended before an instance was killed and its tasks had moved. A longer --seconds shows it.");
                }

                // Commits in flight when the last window arrived (a duplicate would come now) are read after the instances stopped.
                Say("Stopping the instances with SIGTERM (each leaves the group), then the broker.");
                await StopAllAsync(instances, failures, Say).ConfigureAwait(false);
            }
            finally
            {
                producer.Dispose();
                foreach (var instance in instances)
                {
                    instance?.Dispose();
                }

                await broker.DisposeAsync().ConfigureAwait(false);
            }

            if (producer.Failure is { } producerFailure)
            {
                failures.Add($"the readings producer stopped early: {producerFailure.Message}");
            }

            tally.ReadNew();
            var summary = string.Join(", ", instances.Select(i => $"{i.Name} {tally.CountOf(i.Name)}"));
            Say($"Rankings committed: {tally.Results.Count:N0} ({summary}){(tally.Foreign > 0 ? $"; {tally.Foreign} records that are not rankings ignored" : "")}.");
            var verdict = ExactlyOnceCheck.Run(InputOf(store), tally.Results);
            if (verdict.Passed)
            {
                Say($"Exactly-once check passed: all {verdict.WindowsClosed} windows the readings closed were committed exactly once (no duplicate, no gap), each ranking equal to a recomputation from the input.");
            }
            else
            {
                Say(verdict.WindowsClosed == 0
                    ? "Exactly-once check FAILED: the readings closed no window (run longer)."
                    : $"Exactly-once check FAILED ({verdict.WindowsClosed} windows closed, {verdict.WindowsWritten} rankings committed):");
                foreach (var problem in verdict.Problems)
                {
                    Say("  " + problem);
                }
            }

            foreach (var failure in failures)
            {
                error.WriteLine($"freshet demo: {failure}");
            }

            if (!temporary)
            {
                Say($"Data kept in {directory}.");
            }

            return verdict.Passed && failures.Count == 0 ? 0 : FreshetCommand.Failure;
        }
    }

    private static DemoInstanceProcess StartInstance(int index, string bootstrapServers, string directory)
    {
        var name = $"instance-{index + 1}";
        return DemoInstanceProcess.Start(name, bootstrapServers, Path.Combine(directory, "instances", name));
    }

    /// <summary>SIGTERM to every live instance at once, then waits; one that does not stop in time is killed and reported.</summary>
    private static async Task StopAllAsync(DemoInstanceProcess[] instances, List<string> failures, Action<string> say)
    {
        var live = instances.Where(static i => !i.HasExited).ToArray();
        foreach (var instance in live)
        {
            instance.Terminate();
        }

        var stopped = await Task.WhenAll(live.Select(i => i.WaitForExitAsync(StopTimeout))).ConfigureAwait(false);
        for (var i = 0; i < live.Length; i++)
        {
            if (!stopped[i])
            {
                failures.Add($"{live[i].Name} did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM and was killed.");
                live[i].Kill();
            }
            else if (live[i].ExitCode != 0)
            {
                failures.Add($"{live[i].Name} stopped with exit code {live[i].ExitCode}: {live[i].Tail}");
            }
        }

        say($"Instances stopped: {string.Join(", ", live.Select(static i => $"{i.Name} (exit code {i.ExitCode})"))}.");
    }

    private static InstanceObservation Observe(DemoInstanceProcess instance) =>
        new(instance.Name, instance.ProcessId, !instance.HasExited, instance.Status);

    private static InstanceRow Row(DemoInstanceProcess instance, OutputTally tally)
    {
        var status = instance.Status;
        var state = instance switch
        {
            { HasExited: true, Killed: true } => "killed (SIGKILL)",
            { HasExited: true } => $"exited ({instance.ExitCode})",
            { Joined: false } => "starting",
            _ when status is not { Generation: >= 0 } => "joining",
            _ when status.Tasks.Any(static t => t.State is ApplicationTaskState.Restoring or ApplicationTaskState.Restarting) => "restoring",
            _ => "running",
        };
        var tasks = instance.HasExited || status is null
            ? []
            : status.Tasks.Where(static t => t.State is ApplicationTaskState.Running or ApplicationTaskState.Restoring or ApplicationTaskState.Restarting).ToArray();
        return new InstanceRow(instance.Name, instance.ProcessId, state, tasks, tally.CountOf(instance.Name));
    }

    /// <summary>Each input partition's records in offset order (read lazily).</summary>
    private static IEnumerable<Freshet.Log.Records.LogRecord>[] InputOf(LogStore store) =>
        Enumerable.Range(0, InputPartitions).Select(p => store.GetPartition(SensorDemoJob.InputTopic, p).ReadCommittedRecords(0)).ToArray();

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary directory: the system cleans it eventually; the demo's verdict stands.
        }
    }
}
