using System.Diagnostics;
using System.Runtime.InteropServices;
using Freshet.Bench.Reporting;
using Freshet.Shared;
using Freshet.Streaming;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// The <c>scaleout</c> suite: application mode (docs/application-mode.md) against the same job in one process, all
/// in one run against a Freshet broker on 127.0.0.1 in a child process (<see cref="ScaleoutBrokerCommand"/>, the
/// broker <c>freshet broker</c> runs, default options), with the instances as child processes of this executable
/// (<see cref="ScaleoutInstanceCommand"/>). The job is <see cref="ScaleoutJob"/>: Kafka source (6 partitions) → KeyBy →
/// 1 s event-time tumbling count/sum → KeyBy → keyed running count → Kafka sink, exactly-once.
/// <list type="bullet">
/// <item>throughput over a pre-produced input (<see cref="PreparedInput"/>, <c>--records</c>, default 2M records of
/// 8 B): the single-process job (parallelism = cores, aligned checkpoints every 100 ms and the exactly-once Kafka sink)
/// against 1, 2 and 3 (<c>--instances</c>) application instances started together (commit interval 100 ms); records/s from start (job
/// submitted, processes launched) until the read_committed output is complete, CPU seconds per million records of
/// the job's processes (the bench process for the single-process job; the instance processes, summed, each read
/// while alive) and of the broker; every run checks that the output is exactly the expected one;</item>
/// <item>restore: an instance started afresh on the last 1-instance run's application restores all its tasks from
/// their changelogs (records/s and MB/s from the instance's reports), against one plain Confluent.Kafka consumer
/// reading every partition of the same changelog topics;</item>
/// <item>failover (<see cref="FailoverMeasurement"/>): 3 instances with static membership and a short session
/// timeout over live input, one killed with SIGKILL; milliseconds until a moved sink task's first committed output,
/// without standby replicas and with one per task.</item>
/// </list>
/// Repetitions rotate the order of the throughput runs; the tables show medians and every sample. Defaults
/// (<see cref="ScaleoutOptions.Default"/>): 2M records, each application run once (<c>--reps</c>), the single-process
/// job, the restore and the plain consumer 3 times (<c>--baseline-reps</c>), failover 3 times (<c>--failover-reps</c>);
/// <c>--quick</c> is 300,000 records and one repetition of everything. Options: <see cref="ScaleoutOptions.Usage"/>.
/// </summary>
internal static class ScaleoutSuite
{
    public const string Name = "scaleout";

    private static readonly JobShape Shape = new(Keys: 1000, WindowMs: 1000);
    private static readonly JobShape FailoverShape = new(Keys: 1000, WindowMs: 100);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);
    private static readonly InstanceSettings ThroughputSettings = new();

    public static int Run(string[] args)
    {
        if (!ScaleoutOptions.TryParse(args, out var options))
        {
            Console.Error.WriteLine(ScaleoutOptions.Usage);
            return 2;
        }

        KafkaNativeLibrary.EnsureLoaded();
        var total = Stopwatch.StartNew();
        var loadAtStart = LoadAverage.Read();
        using var scratch = new ScratchDirectory(options.Parent);
        Console.WriteLine($"Freshet scaleout suite: {options.Records:N0} records; application runs {options.Reps}x per instance count ({string.Join(", ", options.Instances)}), single process, restore and plain consumer {options.BaselineReps}x, failover {options.FailoverReps}x; medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, load average {loadAtStart}, scratch {scratch.Path}");
        Console.WriteLine();

        using var broker = BrokerProcess.Start(scratch.CreateSubdirectory("broker"));
        var bootstrap = broker.BootstrapServers;
        Progress($"broker at {bootstrap}; producing {options.Records:N0} records");
        var input = PreparedInput.Produce(bootstrap, "scaleout-input", options.Records, Shape);
        Progress($"  produced in {input.ProduceSeconds:0.0} s ({input.Records / input.ProduceSeconds:N0} records/s); {input.ExpectedOutputs:N0} output records expected");

        Progress("warm-up: single-process job over a small input");
        var warmUp = PreparedInput.Produce(bootstrap, "scaleout-warm-up", 60_000, Shape);
        RunSingleProcess(broker, warmUp, options.Parallelism, scratch, "warm-up");

        var single = new List<RunSample>();
        var application = options.Instances.ToDictionary(static n => n, static _ => new List<RunSample>());
        ApplicationRun? restoreSource = null;
        var rounds = Math.Max(options.Reps, options.BaselineReps);
        for (var round = 0; round < rounds; round++)
        {
            // Slot 0 is the single-process job, slot k the k-th instance count; the order rotates from round to round
            // so that drift on a shared machine hits every configuration alike.
            var slots = options.Instances.Count + 1;
            for (var i = 0; i < slots; i++)
            {
                var slot = (i + round) % slots;
                if (slot == 0 && round < options.BaselineReps)
                {
                    Progress($"round {round + 1}/{rounds}: single process, parallelism {options.Parallelism}");
                    single.Add(Report(RunSingleProcess(broker, input, options.Parallelism, scratch, $"single-{round}")));
                }
                else if (slot > 0 && round < options.Reps)
                {
                    var instances = options.Instances[slot - 1];
                    Progress($"round {round + 1}/{rounds}: application mode, {instances} instance(s)");
                    var (sample, run) = RunApplication(broker, input, instances, scratch, $"scaleout-{instances}i-{round}-{Guid.NewGuid().ToString("N")[..6]}");
                    application[instances].Add(Report(sample));
                    restoreSource = run;
                }
            }
        }

        Progress("restore from changelogs");
        var changelogs = ClusterAdmin.Topics(bootstrap, restoreSource!.ApplicationId + "-", "-changelog");
        var restore = new List<RestoreSample>();
        var plain = new List<RestoreSample>();
        var restoreState = scratch.CreateSubdirectory("restore");
        for (var rep = 0; rep < options.BaselineReps; rep++)
        {
            var byRestart = RestoreMeasurement.ByRestart(restoreSource, ThroughputSettings, restoreState, $"restore-{rep}", 3 * ScaleoutJob.InputPartitions);
            var byConsumer = RestoreMeasurement.PlainConsumer(bootstrap, changelogs);
            restore.Add(byRestart with { Bytes = byConsumer.Bytes });
            plain.Add(byConsumer);
            Progress($"  instance restored {byRestart.Records:N0} records in {byRestart.Seconds:0.000} s; plain consumer read {byConsumer.Records:N0} records ({byConsumer.Bytes / 1e6:0.0} MB) in {byConsumer.Seconds:0.000} s");
            if (byConsumer.Records < byRestart.Records)
            {
                // The plain consumer reads after the restore, so it also sees what the restored instance appended (sections written on its first commit); fewer means the two did not read the same data.
                Console.Error.WriteLine($"warning: the instance restored {byRestart.Records} records, the plain consumer read only {byConsumer.Records} from the same changelogs.");
            }
        }

        var session = TimeSpan.FromMilliseconds(options.SessionTimeoutMs);
        var failoverSettings = ThroughputSettings with { StaticMembership = true, SessionTimeout = session, HeartbeatInterval = session / 6 };

        // One entry per failover variant, each measured on an application of its own. The first one's figures carry
        // the plain failover_* names in the RESULT line, the others failover_{label}_*.
        (string Label, InstanceSettings Settings)[] failoverVariants =
        [
            ("static", failoverSettings),
            ("standby", failoverSettings with { StandbyReplicas = 1 }),
        ];
        var failover = new List<(string Label, InstanceSettings Settings, List<FailoverSample> Samples)>();
        foreach (var (label, settings) in failoverVariants)
        {
            Progress($"failover ({label}): 3 instances, {settings.Describe()}, {options.FailoverRate:N0} records/s of live input, window {FailoverShape.WindowMs} ms");
            failover.Add((label, settings, FailoverMeasurement.Run(bootstrap, scratch, label, settings, FailoverShape, options.FailoverRate, options.FailoverReps)));
        }

        var loadAtEnd = LoadAverage.Read();
        Print(options, input, single, application, restore, plain, failover, loadAtStart, loadAtEnd, total.Elapsed);
        return 0;
    }

    private static RunSample Report(RunSample sample)
    {
        var application = sample.Assignments > 0 ? $", {sample.Assignments} assignments received, {sample.TaskRestarts} task restarts" : string.Empty;
        Progress($"  {sample.Seconds:0.00} s (first output after {sample.FirstOutputSeconds:0.00} s), job CPU {sample.JobCpuSeconds:0.0} s, broker CPU {sample.BrokerCpuSeconds:0.0} s{application}{(sample.ExactlyOnce ? string.Empty : ", OUTPUT NOT EXACTLY-ONCE")}");
        return sample;
    }

    /// <summary>The job in this process with checkpoints every commit interval and the exactly-once Kafka sink, until its output is complete; then cancelled.</summary>
    private static RunSample RunSingleProcess(BrokerProcess broker, PreparedInput input, int parallelism, ScratchDirectory scratch, string label)
    {
        var bootstrap = broker.BootstrapServers;
        var id = $"scaleout-{label}-{Guid.NewGuid().ToString("N")[..6]}";
        ClusterAdmin.CreateTopic(bootstrap, id + "-output", 1);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            Checkpointing = new CheckpointingOptions { Directory = scratch.CreateSubdirectory(id), Interval = ThroughputSettings.CommitInterval },
        });
        ScaleoutJob.Build(env, bootstrap, input.Topic, id + "-output", Shape, exactlyOnceSinkPrefix: id);
        using var output = new CommittedOutputReader(bootstrap, id + "-output");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime.TotalSeconds;
        var brokerBefore = broker.CpuSeconds;
        var started = Stopwatch.GetTimestamp();
        var job = env.ExecuteAsync(id).GetAwaiter().GetResult();
        var done = output.WaitForCount(input.ExpectedOutputs, RunTimeout, () => job.Completion.IsCompleted ? $"the job ended: {job.Completion.Exception?.GetBaseException().Message ?? job.Completion.Status.ToString()}" : null);
        self.Refresh();
        var cpu = self.TotalProcessorTime.TotalSeconds - cpuBefore;
        var brokerCpu = broker.CpuSeconds - brokerBefore;
        var exactlyOnce = CheckOutput(output, input);
        job.CancelAsync().GetAwaiter().GetResult();
        try
        {
            job.Completion.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Cancelled as asked.
        }

        return new RunSample(Seconds(started, done), Seconds(started, output.FirstRecordTimestamp), cpu, brokerCpu, exactlyOnce && CheckOutput(output, input));
    }

    /// <summary><paramref name="instances"/> instance processes started together on a fresh application, until the output is complete; then stopped with SIGTERM.</summary>
    private static (RunSample Sample, ApplicationRun Run) RunApplication(BrokerProcess broker, PreparedInput input, int instances, ScratchDirectory scratch, string applicationId)
    {
        var run = new ApplicationRun(broker.BootstrapServers, applicationId, input.Topic, applicationId + "-output", Shape);
        ClusterAdmin.CreateTopic(run.BootstrapServers, run.OutputTopic, 1);
        var state = scratch.CreateSubdirectory(applicationId);
        using var output = new CommittedOutputReader(run.BootstrapServers, run.OutputTopic);
        var processes = new List<InstanceProcess>();
        try
        {
            var brokerBefore = broker.CpuSeconds;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < instances; i++)
            {
                processes.Add(InstanceProcess.Start($"instance-{i}", run, ThroughputSettings, state));
            }

            var done = output.WaitForCount(input.ExpectedOutputs, RunTimeout, () => processes.FirstOrDefault(static p => p.HasExited) is { } exited ? $"{exited.Name} exited: {exited.Tail}" : null);
            var cpu = processes.Sum(static p => p.CpuSeconds);
            var brokerCpu = broker.CpuSeconds - brokerBefore;
            var assignments = processes.Sum(static p => p.Latest?.Rebalances ?? 0);
            var restarts = processes.Sum(static p => p.Latest?.Tasks.Sum(static t => t.Restarts) ?? 0);
            var exactlyOnce = CheckOutput(output, input);
            foreach (var process in processes)
            {
                var exit = process.Terminate();
                if (exit != 0)
                {
                    Console.Error.WriteLine($"warning: {process.Name} exited with {exit}: {process.Tail}");
                }
            }

            return (new RunSample(Seconds(started, done), Seconds(started, output.FirstRecordTimestamp), cpu, brokerCpu, exactlyOnce && CheckOutput(output, input), assignments, restarts), run);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    /// <summary>
    /// After the expected number of records arrived, waits a little for any extra and checks count and the sum of
    /// window counts (every input record counted once); prints what differs.
    /// </summary>
    private static bool CheckOutput(CommittedOutputReader output, PreparedInput input)
    {
        Thread.Sleep(500);
        if (output.Count == input.ExpectedOutputs && output.WindowCountSum == input.Records && output.Malformed == 0)
        {
            return true;
        }

        Console.Error.WriteLine($"warning: output of {output.Count} records (expected {input.ExpectedOutputs}) counting {output.WindowCountSum} input records (expected {input.Records}), {output.Malformed} malformed.");
        return false;
    }

    private static void Print(
        ScaleoutOptions options,
        PreparedInput input,
        List<RunSample> single,
        Dictionary<int, List<RunSample>> application,
        List<RestoreSample> restore,
        List<RestoreSample> plain,
        List<(string Label, InstanceSettings Settings, List<FailoverSample> Samples)> failover,
        string loadAtStart,
        string loadAtEnd,
        TimeSpan elapsed)
    {
        var perMillion = input.Records / 1e6;
        var baselineName = $"single process, p={options.Parallelism}, checkpoints every {ThroughputSettings.CommitInterval.TotalMilliseconds:0} ms";
        var throughput = new List<Comparison>();
        var cpu = new List<Comparison>();
        foreach (var (instances, samples) in application)
        {
            var rate = new Comparison($"application mode, {instances} instance(s)", "records/s", baselineName);
            var cost = new Comparison($"job CPU, {instances} instance(s)", "cpu s/M rec", baselineName);
            foreach (var s in samples)
            {
                rate.AddFreshet(input.Records / s.Seconds);
                cost.AddFreshet(s.JobCpuSeconds / perMillion);
            }

            foreach (var s in single)
            {
                rate.AddBaseline(input.Records / s.Seconds);
                cost.AddBaseline(s.JobCpuSeconds / perMillion);
            }

            throughput.Add(rate);
            cpu.Add(cost);
        }

        var restoreRate = new Comparison("restore all 18 tasks, 1 instance", "records/s", "plain Confluent.Kafka consumer, read_committed");
        var restoreBytes = new Comparison("restore all 18 tasks, 1 instance", "MB/s", "plain Confluent.Kafka consumer, read_committed");
        for (var i = 0; i < restore.Count; i++)
        {
            restoreRate.AddFreshet(restore[i].RecordsPerSecond);
            restoreRate.AddBaseline(plain[i].RecordsPerSecond);
            restoreBytes.AddFreshet(restore[i].Bytes / 1e6 / restore[i].Seconds);
            restoreBytes.AddBaseline(plain[i].Bytes / 1e6 / plain[i].Seconds);
        }

        Console.WriteLine();
        Console.Write(ResultTable.Format([.. throughput, .. cpu, restoreRate, restoreBytes]));
        Console.WriteLine("records/s: input records / seconds from start until the read_committed output is complete (process start, group join with the broker's 3 s initial rebalance delay, and restores included); ratio = freshet / baseline (for cpu s/M rec above 1 means more CPU).");
        var brokerSingle = Median.Of([.. single.Select(s => s.BrokerCpuSeconds / perMillion)]);
        Console.WriteLine($"broker CPU s per million records: single process {brokerSingle:0.00}; " + string.Join("; ", application.Select(a => $"{a.Key} instance(s) {Median.Of([.. a.Value.Select(s => s.BrokerCpuSeconds / perMillion)]):0.00}")));
        Console.WriteLine($"first committed output after (median s): single process {Median.Of([.. single.Select(static s => s.FirstOutputSeconds)]):0.00}; " + string.Join("; ", application.Select(a => $"{a.Key} instance(s) {Median.Of([.. a.Value.Select(static s => s.FirstOutputSeconds)]):0.00}")));
        Console.WriteLine("assignments received (summed over the instances; one each means a single rebalance) and task restarts after failures: " + string.Join("; ", application.Select(a => $"{a.Key} instance(s) {string.Join(" ", a.Value.Select(static s => $"{s.Assignments}/{s.TaskRestarts}"))}")));
        var allExact = single.Concat(application.Values.SelectMany(static v => v)).All(static s => s.ExactlyOnce);
        Console.WriteLine($"output exactly the expected {input.ExpectedOutputs:N0} records in every run: {(allExact ? "yes" : "NO")}");
        Console.WriteLine($"changelog records restored: {Median.Of([.. restore.Select(static r => (double)r.Records)]):N0} ({Median.Of([.. plain.Select(static r => r.Bytes / 1e6)]):0.0} MB of keys and values)");
        Console.WriteLine();
        foreach (var (label, settings, samples) in failover)
        {
            Console.WriteLine($"failover ({label}), 3 instances, {settings.Describe()}, {options.FailoverRate:N0} records/s live input, {FailoverShape.WindowMs} ms windows; ms after the SIGKILL:");
            Console.WriteLine($"  {"killed",-12}  {"its sink tasks",-14}  {"rebalance ms",12}  {"moved task running ms",21}  {"first output ms",15}");
            foreach (var f in samples)
            {
                Console.WriteLine($"  {f.Victim,-12}  {f.MovedTasks,-14}  {f.RebalancedMs,12:0}  {f.MovedTaskRunningMs,21:0}  {f.FirstOutputMs,15:0}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average at start {loadAtStart}, at end {loadAtEnd}; suite time {elapsed.TotalSeconds:0} s");

        var result = new ResultLine();
        result.Add("single_process_records_s", throughput[0].BaselineMedian, 0);
        foreach (var (instances, i) in options.Instances.Select(static (n, i) => (n, i)))
        {
            result.Add($"app_{instances}_records_s", throughput[i].FreshetMedian, 0);
            result.Add($"app_{instances}_ratio_vs_single", throughput[i].Ratio);
        }

        result.Add("single_process_cpu_s_per_m", cpu[0].BaselineMedian, 2);
        foreach (var (instances, i) in options.Instances.Select(static (n, i) => (n, i)))
        {
            result.Add($"app_{instances}_cpu_s_per_m", cpu[i].FreshetMedian, 2);
            result.Add($"app_{instances}_cpu_ratio_vs_single", cpu[i].Ratio);
        }

        result.Add("broker_cpu_s_per_m_single", brokerSingle, 2);
        foreach (var (instances, samples) in application)
        {
            result.Add($"broker_cpu_s_per_m_app_{instances}", Median.Of([.. samples.Select(s => s.BrokerCpuSeconds / perMillion)]), 2);
        }

        result.Add("restore_records_s", restoreRate.FreshetMedian, 0);
        result.Add("restore_mb_s", restoreBytes.FreshetMedian, 2);
        result.Add("plain_consumer_records_s", restoreRate.BaselineMedian, 0);
        result.Add("plain_consumer_mb_s", restoreBytes.BaselineMedian, 2);
        result.Add("restore_ratio_vs_plain", restoreRate.Ratio);
        result.Add("restore_changelog_records", Median.Of([.. restore.Select(static r => (double)r.Records)]), 0);
        for (var v = 0; v < failover.Count; v++)
        {
            var (label, settings, samples) = failover[v];
            var prefix = v == 0 ? "failover_" : $"failover_{label}_";
            result.Add(prefix + "first_output_ms", Median.Of([.. samples.Select(static f => f.FirstOutputMs)]), 0);
            result.Add(prefix + "moved_task_running_ms", Median.Of([.. samples.Select(static f => f.MovedTaskRunningMs)]), 0);
            result.Add(prefix + "rebalance_ms", Median.Of([.. samples.Select(static f => f.RebalancedMs)]), 0);
            result.Add(prefix + "session_timeout_ms", settings.SessionTimeout.TotalMilliseconds, 0);
        }
        result.Add("exactly_once", allExact ? 1 : 0, 0);
        result.Add("load_avg_1m_start", LoadAverage.OneMinute(loadAtStart), 2);
        result.Add("load_avg_1m_end", LoadAverage.OneMinute(loadAtEnd), 2);
        result.Add("records", input.Records, 0);
        result.Add("reps", options.Reps, 0);
        result.Add("baseline_reps", options.BaselineReps, 0);
        result.Add("failover_reps", options.FailoverReps, 0);
        result.Add("parallelism", options.Parallelism, 0);
        result.Add("cores", Environment.ProcessorCount, 0);
        Console.WriteLine(result);
    }

    private static double Seconds(long started, long timestamp) => timestamp == 0 ? double.NaN : Stopwatch.GetElapsedTime(started, timestamp).TotalSeconds;

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
