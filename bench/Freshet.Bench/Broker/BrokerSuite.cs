using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Freshet.Bench.Reporting;
using Freshet.Shared;

namespace Freshet.Bench.Broker;

/// <summary>
/// The <c>broker</c> suite: the Freshet broker (a real <see cref="Freshet.Log.LogStore"/> on disk, default
/// flush policy) against librdkafka's in-memory mock cluster, both driven over loopback by identical
/// Confluent.Kafka clients in this process.
/// <list type="bullet">
/// <item>produce: 100 B and 1 KB values, acks=all, linger 5 ms, to 1 and 8 partitions (<see cref="ProducerThroughput"/>);</item>
/// <item>consume: the same data read back by a manually assigned consumer, over the window the mock retains (<see cref="ConsumerThroughput"/>);</item>
/// <item>latency: produce-to-consume at a steady rate, 100 B values, one partition (<see cref="EndToEndLatency"/>).</item>
/// </list>
/// Each repetition starts a fresh broker and a fresh mock cluster and runs every throughput case on both,
/// alternating which target goes first; the table shows medians and every sample. Latency percentiles are
/// taken over the samples of all repetitions together.
/// Options: <c>--reps N</c> (default 7), <c>--messages-100b N</c> (default 500000), <c>--messages-1kb N</c>
/// (default 150000), <c>--latency-seconds S</c> (per target over all repetitions, default 10),
/// <c>--rate N</c> (latency messages/s, default 10000), <c>--linger-ms N</c> (latency producer, default 1),
/// <c>--fetch-wait-ms N</c> (latency consumer, default 5), <c>--dir PATH</c> (parent of the data directory),
/// <c>--only LIST</c> (subset of throughput,latency), <c>--cases LIST</c> (subset of 100b_1p,100b_8p,1kb_1p,1kb_8p).
/// <c>--tls</c> runs <see cref="TlsSuite"/> instead: the broker over TLS against itself over plaintext.
/// Set <c>FRESHET_BENCH_TRACE</c> to print each measurement's CPU time per thread group (<see cref="ThreadCpu"/>).
/// </summary>
internal static class BrokerSuite
{
    public const string Name = "broker";

    private static readonly int[] PartitionCounts = [1, 8];

    public static int Run(string[] args)
    {
        if (args.Contains("--tls"))
        {
            return TlsSuite.Run(args);
        }

        if (!Options.TryParse(args, out var options))
        {
            Console.Error.WriteLine("usage: Freshet.Bench broker [--reps N] [--messages-100b N] [--messages-1kb N] [--latency-seconds S] [--rate N] [--linger-ms N] [--fetch-wait-ms N] [--dir PATH] [--only throughput,latency]");
            return 2;
        }

        var librdkafka = KafkaNativeLibrary.EnsureLoaded();
        using var scratch = new ScratchDirectory(options.Parent);
        Console.WriteLine($"Freshet broker suite: Confluent.Kafka {Confluent.Kafka.Library.VersionString} ({Path.GetFileName(librdkafka)}) against the Freshet broker and librdkafka's mock cluster, {options.Reps} repetitions, medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, data {scratch.Path}");
        Console.WriteLine();

        var cases = new List<ThroughputCase>();
        foreach (var valueBytes in new[] { 100, 1000 })
        {
            foreach (var partitions in PartitionCounts)
            {
                var c = new ThroughputCase(valueBytes, partitions, valueBytes == 100 ? options.Messages100B : options.Messages1KB);
                if (options.Cases is null || options.Cases.Contains(c.Key))
                {
                    cases.Add(c);
                }
            }
        }

        var total = Stopwatch.StartNew();
        if (options.Only.Contains("throughput"))
        {
            WarmUp(scratch, cases);
            for (var rep = 0; rep < options.Reps; rep++)
            {
                RunRepetition(scratch, cases, rep, options.Reps);
            }
        }

        LatencyResult? freshetLatency = null, mockLatency = null;
        if (options.Only.Contains("latency"))
        {
            (freshetLatency, mockLatency) = MeasureLatency(scratch, options);
        }

        Console.WriteLine();
        if (cases.Count > 0 && cases[0].Produce.FreshetSamples.Count > 0)
        {
            Console.Write(ResultTable.Format([.. cases.Select(c => c.Produce), .. cases.Select(c => c.Consume)]));
            Console.WriteLine("baseline = librdkafka mock cluster; ratio = freshet median / mock median (above 1: Freshet is faster); MB = 10^6 bytes of values.");
            Console.WriteLine();
        }

        if (freshetLatency is not null && mockLatency is not null)
        {
            Console.WriteLine($"produce-to-consume latency at {options.Rate:N0} msg/s, {EndToEndLatency.ValueBytes} B, 1 partition, linger {options.LingerMs} ms, fetch wait {options.FetchWaitMs} ms:");
            Console.WriteLine($"  {"target",-8}  {"samples",8}  {"p50 ms",7}  {"p90 ms",7}  {"p99 ms",7}  {"p99.9 ms",8}  {"max ms",7}");
            foreach (var latency in new[] { freshetLatency, mockLatency })
            {
                Console.WriteLine($"  {latency.Target,-8}  {latency.Samples,8}  {latency.P50,7:0.000}  {latency.P90,7:0.000}  {latency.P99,7:0.000}  {latency.P999,8:0.000}  {latency.Max,7:0.000}");
            }

            Console.WriteLine();
        }

        Console.WriteLine($"suite time {total.Elapsed.TotalSeconds:0} s");
        Console.WriteLine(Summary(cases, freshetLatency, mockLatency, options));
        return 0;
    }

    private static ResultLine Summary(List<ThroughputCase> cases, LatencyResult? freshetLatency, LatencyResult? mockLatency, Options options)
    {
        var result = new ResultLine();
        var measured = cases.Where(c => c.Produce.FreshetSamples.Count > 0).ToList();
        var small = measured.SingleOrDefault(c => c.Key == "100b_1p");
        var large = measured.SingleOrDefault(c => c.Key == "1kb_1p");
        if (small is not null)
        {
            result.Add("produce_100b_msgs_s", small.Produce.FreshetMedian, 0);
        }

        if (large is not null)
        {
            result.Add("produce_1kb_mb_s", large.Produce.FreshetMedian, 1);
        }

        if (small is not null)
        {
            result.Add("produce_ratio_vs_mock", small.Produce.Ratio);
            result.Add("consume_ratio_vs_mock", small.Consume.Ratio);
        }

        if (freshetLatency is not null && mockLatency is not null)
        {
            result.Add("latency_p50_ms", freshetLatency.P50);
            result.Add("latency_p99_ms", freshetLatency.P99);
            result.Add("latency_p999_ms", freshetLatency.P999);
            result.Add("mock_latency_p50_ms", mockLatency.P50);
            result.Add("mock_latency_p99_ms", mockLatency.P99);
            result.Add("latency_rate_msgs_s", options.Rate, 0);
        }

        // Every case: Freshet and mock medians (msgs/s for 100 B, MB/s for 1 KB) and their ratio.
        foreach (var c in measured)
        {
            var unit = c.ValueBytes == 100 ? "msgs_s" : "mb_s";
            var decimals = c.ValueBytes == 100 ? 0 : 1;
            foreach (var (kind, comparison) in new[] { ("produce", c.Produce), ("consume", c.Consume) })
            {
                result.Add($"{kind}_{c.Key}_{unit}", comparison.FreshetMedian, decimals);
                result.Add($"mock_{kind}_{c.Key}_{unit}", comparison.BaselineMedian, decimals);
                result.Add($"{kind}_{c.Key}_ratio_vs_mock", comparison.Ratio);
            }
        }

        result.Add("reps", options.Reps, 0);
        return result;
    }

    /// <summary>
    /// Untimed rounds on both targets until the broker's code is compiled at its final tier: the broker runs in
    /// this process, so code still at tier 0 or in PGO instrumentation (and the JIT thread compiling it) would
    /// otherwise be measured. Large batches give few requests, so a burst of small, latency-style requests
    /// follows the small throughput round; then a pause lets the background JIT finish.
    /// </summary>
    private static void WarmUp(ScratchDirectory scratch, List<ThroughputCase> cases)
    {
        Progress("warm-up");
        var small = cases.Select(c => new ThroughputCase(c.ValueBytes, c.Partitions, Math.Min(c.Messages, 50_000))).ToList();
        for (var round = 0; round < 2; round++)
        {
            RunRound(scratch, small, round, c => { });
            ForEachTarget(scratch, round, target =>
            {
                var topic = "warm-up-" + Guid.NewGuid().ToString("N")[..8];
                target.CreateTopic(topic, 1);
                EndToEndLatency.Run(target, topic, 20_000, TimeSpan.Zero, TimeSpan.FromSeconds(1.5), lingerMs: 0, fetchWaitMaxMs: 1);
            });
        }

        Thread.Sleep(1000);
    }

    private static void RunRepetition(ScratchDirectory scratch, List<ThroughputCase> cases, int rep, int reps) =>
        RunRound(scratch, cases, rep, c => Progress($"rep {rep + 1}/{reps}: {c.Key}"));

    /// <summary>
    /// Every case on a fresh Freshet broker and a fresh mock cluster: produce to both, then consume from
    /// both over the window the mock retains (see <see cref="ConsumerThroughput"/>). Which target goes first
    /// alternates per case and per round, so drift on a shared machine hits both alike.
    /// </summary>
    private static void RunRound(ScratchDirectory scratch, List<ThroughputCase> cases, int round, Action<ThroughputCase> progress)
    {
        using var freshetDirectory = new ScratchDirectory(scratch.Path);
        using var freshet = FreshetTarget.Start(freshetDirectory.Path);
        using var mock = MockClusterTarget.Start();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            progress(c);
            BenchTarget[] order = (round + i) % 2 == 0 ? [freshet, mock] : [mock, freshet];
            var topics = new Dictionary<BenchTarget, string>();
            foreach (var target in order)
            {
                var topic = c.NewTopic(target);
                topics[target] = topic;
                Quiesce();
                var cpu = ThreadCpu.Snapshot();
                var produced = ProducerThroughput.Run(target, topic, c.Partitions, c.Messages, c.ValueBytes);
                c.AddProduce(target, produced);
                Trace($"  produce {c.Key} on {target.Name}: {ThreadCpu.Since(cpu, produced)}");
            }

            var window = ConsumerThroughput.MinRetained(mock, topics[mock], c.Partitions);
            foreach (var target in order)
            {
                Quiesce();
                var cpu = ThreadCpu.Snapshot();
                var wall = Stopwatch.StartNew();
                var (messages, elapsed) = ConsumerThroughput.Run(target, topics[target], c.Partitions, window, c.Messages, c.ValueBytes);
                c.AddConsume(target, messages, elapsed);
                Trace($"  consume {c.Key} on {target.Name}: timed {elapsed.TotalMilliseconds:0} ms of {ThreadCpu.Since(cpu, wall.Elapsed)}");
            }
        }
    }

    private static (LatencyResult Freshet, LatencyResult Mock) MeasureLatency(ScratchDirectory scratch, Options options)
    {
        const int runs = 2;
        var perRun = TimeSpan.FromSeconds(options.LatencySeconds / runs);
        var warmUp = TimeSpan.FromSeconds(1);
        var freshet = new List<double>();
        var mock = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            ForEachTarget(scratch, run, target =>
            {
                Progress($"latency {run + 1}/{runs}: {target.Name}, {perRun.TotalSeconds:0.#} s at {options.Rate} msg/s");
                var topic = "latency-" + Guid.NewGuid().ToString("N")[..8];
                target.CreateTopic(topic, 1);
                Quiesce();
                var samples = EndToEndLatency.Run(target, topic, options.Rate, warmUp, perRun, options.LingerMs, options.FetchWaitMs);
                (target is FreshetTarget ? freshet : mock).AddRange(samples);
            });
        }

        return (LatencyResult.From("freshet", freshet), LatencyResult.From("mock", mock));
    }

    /// <summary>Starts a fresh Freshet broker and a fresh mock cluster and runs <paramref name="action"/> on both, Freshet first on even <paramref name="round"/>s.</summary>
    private static void ForEachTarget(ScratchDirectory scratch, int round, Action<BenchTarget> action)
    {
        using var freshetDirectory = new ScratchDirectory(scratch.Path);
        using var freshet = FreshetTarget.Start(freshetDirectory.Path);
        using var mock = MockClusterTarget.Start();
        foreach (var target in round % 2 == 0 ? new BenchTarget[] { freshet, mock } : [mock, freshet])
        {
            action(target);
        }
    }

    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static void Trace(string message)
    {
        if (ThreadCpu.Enabled)
        {
            Console.Error.WriteLine(message);
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    private sealed record ThroughputCase(int ValueBytes, int Partitions, int Messages)
    {
        public string Key => $"{(ValueBytes == 100 ? "100b" : "1kb")}_{Partitions}p";

        public Comparison Produce { get; } = new($"produce {Label(ValueBytes, Partitions)}", Unit(ValueBytes), "librdkafka mock cluster");

        public Comparison Consume { get; } = new($"consume {Label(ValueBytes, Partitions)}", Unit(ValueBytes), "librdkafka mock cluster");

        public string NewTopic(BenchTarget target)
        {
            var topic = $"bench-{Key}-{Guid.NewGuid().ToString("N")[..8]}";
            target.CreateTopic(topic, Partitions);
            return topic;
        }

        /// <summary>Records one produce measurement: 100 B cases in messages/s, 1 KB cases in MB/s of values.</summary>
        public void AddProduce(BenchTarget target, TimeSpan elapsed) => Add(Produce, target, Rate(Messages, elapsed));

        /// <summary>Records one consume measurement, in the same units.</summary>
        public void AddConsume(BenchTarget target, long messages, TimeSpan elapsed) => Add(Consume, target, Rate(messages, elapsed));

        private static void Add(Comparison comparison, BenchTarget target, double value)
        {
            if (target is FreshetTarget)
            {
                comparison.AddFreshet(value);
            }
            else
            {
                comparison.AddBaseline(value);
            }
        }

        private double Rate(long messages, TimeSpan elapsed) =>
            ValueBytes == 100 ? messages / elapsed.TotalSeconds : messages * (double)ValueBytes / 1e6 / elapsed.TotalSeconds;

        private static string Label(int valueBytes, int partitions) => $"{(valueBytes == 100 ? "100 B" : "1 KB")}, {partitions}p";

        private static string Unit(int valueBytes) => valueBytes == 100 ? "msgs/s" : "MB/s";
    }

    private sealed record LatencyResult(string Target, int Samples, double P50, double P90, double P99, double P999, double Max)
    {
        public static LatencyResult From(string target, List<double> samples)
        {
            var sorted = samples.ToArray();
            Array.Sort(sorted);
            return new LatencyResult(target, sorted.Length, Percentile.Of(sorted, 50), Percentile.Of(sorted, 90), Percentile.Of(sorted, 99), Percentile.Of(sorted, 99.9), sorted[^1]);
        }
    }

    private sealed record Options(int Reps, int Messages100B, int Messages1KB, double LatencySeconds, int Rate, int LingerMs, int FetchWaitMs, string? Parent, HashSet<string> Only, HashSet<string>? Cases)
    {
        public static bool TryParse(string[] args, out Options options)
        {
            options = new Options(7, 500_000, 150_000, 10, 10_000, 1, 5, null, ["throughput", "latency"], null);
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : null;
                var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
                Options? parsed = args[i] switch
                {
                    "--reps" when number > 0 => options with { Reps = number },
                    "--messages-100b" when number > 0 => options with { Messages100B = number },
                    "--messages-1kb" when number > 0 => options with { Messages1KB = number },
                    "--latency-seconds" when number > 0 => options with { LatencySeconds = number },
                    "--rate" when number > 0 => options with { Rate = number },
                    "--linger-ms" when number >= 0 => options with { LingerMs = number },
                    "--fetch-wait-ms" when number >= 0 => options with { FetchWaitMs = number },
                    "--dir" when value is not null => options with { Parent = value },
                    "--only" when value is not null && value.Split(',').All(s => s is "throughput" or "latency") => options with { Only = [.. value.Split(',')] },
                    "--cases" when value is not null && value.Split(',').All(s => s is "100b_1p" or "100b_8p" or "1kb_1p" or "1kb_8p") => options with { Cases = [.. value.Split(',')] },
                    _ => null,
                };
                if (parsed is null)
                {
                    Console.Error.WriteLine($"broker: unknown or invalid option '{args[i]}'.");
                    return false;
                }

                options = parsed;
                i++;
            }

            return true;
        }
    }
}
