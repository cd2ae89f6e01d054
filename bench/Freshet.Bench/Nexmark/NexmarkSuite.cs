using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Freshet.Bench.Engine;
using Freshet.Bench.Reporting;
using Freshet.Nexmark;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Queries;
using Freshet.Streaming;

namespace Freshet.Bench.Nexmark;

/// <summary>
/// The <c>nexmark</c> suite: each query q0–q8 as a job with the generator inside it (bounded, N events),
/// timed on the wall clock and on process CPU time, so that the rate per core used can be set against the Flink 1.13
/// per-core figures the nexmark project publishes. The baseline measured in the same run is a hand-written loop over
/// the generator alone (<c>generator_eps</c>): no query can go faster per core than the events can be made.
/// Options: <c>--events N</c> (default 10M), <c>--query qN</c> (repeatable; default all), <c>--parallelism P</c> (default 1).
/// With <c>--sql</c> the suite is <see cref="NexmarkSqlSuite"/> instead: the SQL queries against the DataStream jobs.
/// </summary>
internal static class NexmarkSuite
{
    public const string Name = "nexmark";

    /// <summary>Flink 1.13 throughput per core (events/s) from the nexmark project's results; q6 has none.</summary>
    private static readonly Dictionary<string, double> FlinkPerCore = new()
    {
        ["q0"] = 155_000, ["q1"] = 158_000, ["q2"] = 175_000, ["q3"] = 152_000, ["q4"] = 34_000,
        ["q5"] = 22_000, ["q7"] = 12_000, ["q8"] = 146_000,
    };

    public static int Run(string[] args)
    {
        if (args.Contains("--sql"))
        {
            return NexmarkSqlSuite.Run([.. args.Where(static a => a != "--sql")]);
        }

        long events = 10_000_000;
        var parallelism = 1;
        var queries = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--events" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    events = n;
                    i++;
                    break;
                case "--parallelism" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0:
                    parallelism = p;
                    i++;
                    break;
                case "--query" when value is not null && NexmarkQueries.Names.Contains(value):
                    queries.Add(value);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(value is null || !args[i].StartsWith("--", StringComparison.Ordinal)
                        ? $"Bad option '{args[i]}'."
                        : $"Bad value '{value}' for {args[i]} (events and parallelism are positive integers, queries q0..q8).");
                    Console.Error.WriteLine("usage: Freshet.Bench nexmark [--events N] [--query q0..q8]... [--parallelism P] | nexmark --sql [options]");
                    return 2;
            }
        }

        if (queries.Count == 0)
        {
            queries.AddRange(NexmarkQueries.Names);
        }

        var generator = new NexmarkGenerator();
        Console.WriteLine($"Freshet nexmark suite: {events:N0} events per query, parallelism {parallelism}, generator inside the job");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores");

        Progress("warm-up");
        GeneratorLoop(generator, Math.Min(events, 500_000));
        foreach (var query in queries)
        {
            RunQuery(generator, query, Math.Min(events, 500_000), parallelism);
        }

        Progress("generator loop");
        var baseline = GeneratorLoop(generator, events);
        var rows = new List<Measurement>();
        foreach (var query in queries)
        {
            Progress(query);
            rows.Add(RunQuery(generator, query, events, parallelism));
        }

        Console.WriteLine();
        Console.Write(Format(baseline, rows));
        var result = new ResultLine();
        result.Add("generator_eps", baseline.EventsPerSecond, 0);
        foreach (var row in rows)
        {
            result.Add($"{row.Query}_eps", row.EventsPerSecond, 0);
            result.Add($"{row.Query}_eps_per_core", row.EventsPerSecondPerCore, 0);
        }

        result.Add("events", events, 0);
        result.Add("parallelism", parallelism, 0);
        Console.WriteLine(result);
        return 0;
    }

    /// <summary>The baseline: make every event and touch it, on one thread.</summary>
    private static Measurement GeneratorLoop(NexmarkGenerator generator, long events)
    {
        long checksum = 0;
        var measurement = Measure("generator", events, 0, () =>
        {
            for (long n = 0; n < events; n++)
            {
                checksum += generator.Generate(n).DateTime;
            }

            return events;
        });
        return checksum == 0 ? throw new InvalidOperationException("The generator produced nothing.") : measurement;
    }

    private static Measurement RunQuery(NexmarkGenerator generator, string query, long events, int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var source = env.FromNexmark(generator, events);
        Func<long> results = query switch
        {
            "q0" => Sink(NexmarkQueries.Q0(source)),
            "q1" => Sink(NexmarkQueries.Q1(source)),
            "q2" => Sink(NexmarkQueries.Q2(source)),
            "q3" => Sink(NexmarkQueries.Q3(source)),
            "q4" => Sink(NexmarkQueries.Q4(source)),
            "q5" => Sink(NexmarkQueries.Q5(source)),
            "q6" => Sink(NexmarkQueries.Q6(source)),
            "q7" => Sink(NexmarkQueries.Q7(source)),
            _ => Sink(NexmarkQueries.Q8(source)),
        };
        return Measure(query, events, parallelism, () =>
        {
            var job = env.ExecuteAsync(query).GetAwaiter().GetResult();
            job.Completion.GetAwaiter().GetResult();
            return results();
        });
    }

    private static Func<long> Sink<T>(DataStream<T> stream)
    {
        var sink = new CountingSink<T>(static _ => 1);
        stream.SinkTo(sink);
        return () => sink.Count;
    }

    private static Measurement Measure(string query, long events, int parallelism, Func<long> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var results = run();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Measurement(query, events, parallelism, results, seconds, cpuSeconds);
    }

    private static string Format(Measurement baseline, List<Measurement> rows)
    {
        var table = new List<string[]>
        {
            new[] { "query", "events", "results", "seconds", "events/s", "cores used", "events/s/core", "vs generator", "Flink 1.13 /core", "ratio vs Flink" },
            Row(baseline, baseline),
        };
        table.AddRange(rows.Select(r => Row(r, baseline)));
        var widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        for (var r = 0; r < table.Count; r++)
        {
            text.AppendLine(string.Join("  ", table[r].Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))));
            if (r == 0)
            {
                text.AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }

        return text.ToString();
    }

    private static string[] Row(Measurement m, Measurement baseline)
    {
        var flink = FlinkPerCore.TryGetValue(m.Query, out var f) ? f : double.NaN;
        return
        [
            m.Query,
            m.Events.ToString("N0", CultureInfo.InvariantCulture),
            m.Results.ToString("N0", CultureInfo.InvariantCulture),
            m.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
            m.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            m.CoresUsed.ToString("0.00", CultureInfo.InvariantCulture),
            m.EventsPerSecondPerCore.ToString("N0", CultureInfo.InvariantCulture),
            (m.EventsPerSecondPerCore / baseline.EventsPerSecondPerCore).ToString("0.00", CultureInfo.InvariantCulture),
            double.IsNaN(flink) ? "-" : flink.ToString("N0", CultureInfo.InvariantCulture),
            double.IsNaN(flink) ? "-" : (m.EventsPerSecondPerCore / flink).ToString("0.00", CultureInfo.InvariantCulture),
        ];
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>One timed run: wall-clock seconds and the process CPU seconds spent meanwhile.</summary>
    private sealed record Measurement(string Query, long Events, int Parallelism, long Results, double Seconds, double CpuSeconds)
    {
        public double EventsPerSecond => Events / Seconds;

        /// <summary>Process CPU time over wall time: how many cores the run kept busy on average.</summary>
        public double CoresUsed => CpuSeconds / Seconds;

        public double EventsPerSecondPerCore => Events / CpuSeconds;
    }
}
