using System.Diagnostics;
using Freshet.Bench.Reporting;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// Failover time in application mode: three instances of <see cref="ScaleoutJob"/> over live input
/// (<see cref="SteadyInput"/>); once the group is stable and output flows, one instance is killed with SIGKILL, and
/// the time is taken until the first read_committed output record that one of its sink tasks (<c>2_p</c>, read from
/// its last status line) produced on a survivor: a record whose key belongs to partition <c>p</c>
/// (<see cref="ScaleoutJob.SinkPartitionOf"/>) at an offset at or past the output's end at the kill (its high
/// watermark, open transactions included), where no committed record of the dead instance can be: what it had still
/// in flight is in a transaction that its task's next owner aborts. The killed instance is then started again under the same name (and group instance
/// id) and, once the group is stable again, the next repetition kills the next instance.
/// <para>
/// Parameterised by the <see cref="InstanceSettings"/> of the instances, so a variant (other session timeout, other
/// membership, standby replicas) is one more call with other settings and another label.
/// </para>
/// </summary>
internal static class FailoverMeasurement
{
    private const int Instances = 3;
    private static readonly TimeSpan StableFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs <paramref name="repetitions"/> failovers of a fresh application labelled <paramref name="label"/>; returns one sample per repetition.</summary>
    public static List<FailoverSample> Run(string bootstrapServers, ScratchDirectory scratch, string label, InstanceSettings settings, JobShape shape, int recordsPerSecond, int repetitions)
    {
        var applicationId = $"scaleout-failover-{label}-{Guid.NewGuid().ToString("N")[..8]}";
        var run = new ApplicationRun(bootstrapServers, applicationId, applicationId + "-input", applicationId + "-output", shape);
        ClusterAdmin.CreateTopic(bootstrapServers, run.InputTopic, ScaleoutJob.InputPartitions);
        ClusterAdmin.CreateTopic(bootstrapServers, run.OutputTopic, 1);
        var state = scratch.CreateSubdirectory(applicationId);
        var watch = new MovedTaskWatch();
        var samples = new List<FailoverSample>();
        var instances = new InstanceProcess[Instances];
        using var input = new SteadyInput(bootstrapServers, run.InputTopic, recordsPerSecond);
        using var output = new CommittedOutputReader(bootstrapServers, run.OutputTopic, watch.Observe);
        try
        {
            for (var i = 0; i < Instances; i++)
            {
                instances[i] = InstanceProcess.Start(InstanceName(label, i), run, settings, state);
            }

            for (var rep = 0; rep < repetitions; rep++)
            {
                var victimIndex = rep % Instances;
                WaitUntilStable(instances, output);
                var victim = instances[victimIndex];
                var before = victim.Latest!;
                var sinkSubTopology = instances.SelectMany(static i => i.Latest!.Tasks).Max(static t => t.SubTopology);
                var moved = before.Tasks.Where(t => t.SubTopology == sinkSubTopology).Select(static t => t.Partition).ToHashSet();
                var movedNames = string.Join(",", moved.Order().Select(p => $"{sinkSubTopology}_{p}"));

                var killedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var killed = Stopwatch.GetTimestamp();
                victim.Kill();
                watch.Arm(ClusterAdmin.HighWatermark(bootstrapServers, run.OutputTopic, 0), moved);
                var firstOutput = watch.Wait(Timeout, () => instances.Where((i, k) => k != victimIndex && i.HasExited).Select(static i => $"{i.Name} exited: {i.Tail}").FirstOrDefault());
                var survivors = instances.Where((_, k) => k != victimIndex).ToList();
                var rebalanced = survivors.Select(s => s.FirstReportAfter(before.Generation) ?? -1).Where(static t => t >= 0).DefaultIfEmpty(-1).Min();
                var running = survivors.SelectMany(static s => s.Restores)
                    .Where(r => r.TimeMs >= killedUnixMs && moved.Any(p => r.TaskId == $"{sinkSubTopology}_{p}"))
                    .Select(static r => r.TimeMs).DefaultIfEmpty(-1).Min();
                var sample = new FailoverSample(
                    victim.Name,
                    movedNames,
                    rebalanced < 0 ? -1 : rebalanced - killedUnixMs,
                    running < 0 ? -1 : running - killedUnixMs,
                    Stopwatch.GetElapsedTime(killed, firstOutput).TotalMilliseconds);
                samples.Add(sample);
                Progress($"  failover {rep + 1}/{repetitions}: killed {victim.Name} (sink tasks {movedNames}); first output of a moved task after {sample.FirstOutputMs:0} ms (moved task running after {sample.MovedTaskRunningMs:0} ms)");

                victim.Dispose();
                instances[victimIndex] = InstanceProcess.Start(victim.Name, run, settings, state);
            }
        }
        finally
        {
            foreach (var instance in instances)
            {
                if (instance is not null && !instance.HasExited)
                {
                    instance.Terminate();
                }

                instance?.Dispose();
            }
        }

        return samples;
    }

    private static string InstanceName(string label, int index) => $"{label}-{index}";

    /// <summary>
    /// Waits until every instance runs its tasks in one generation, all tasks together are each run once, the
    /// generation has stayed the same for <see cref="StableFor"/>, and output arrived after that.
    /// </summary>
    private static void WaitUntilStable(InstanceProcess[] instances, CommittedOutputReader output)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        long stableSince = 0, outputAtStable = -1;
        var generation = int.MinValue;
        while (true)
        {
            if (instances.FirstOrDefault(static i => i.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"{exited.Name} exited: {exited.Tail}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The group did not become stable within {Timeout.TotalSeconds:0} s: {string.Join("; ", instances.Select(static i => $"{i.Name} {i.Latest}"))}");
            }

            var statuses = instances.Select(static i => i.Latest).ToList();
            var ready = statuses.All(static s => s is { AllRunning: true })
                && statuses.Select(static s => s!.Generation).Distinct().Count() == 1
                && statuses.SelectMany(static s => s!.Tasks).Select(static t => t.TaskId).Distinct().Count() == statuses.Sum(static s => s!.Tasks.Count);
            if (!ready)
            {
                stableSince = 0;
            }
            else if (stableSince == 0 || statuses[0]!.Generation != generation)
            {
                stableSince = Stopwatch.GetTimestamp();
                generation = statuses[0]!.Generation;
                outputAtStable = output.Count;
            }
            else if (Stopwatch.GetElapsedTime(stableSince) >= StableFor && output.Count > outputAtStable)
            {
                return;
            }

            Thread.Sleep(20);
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
