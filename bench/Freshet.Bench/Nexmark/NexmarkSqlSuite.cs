using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Freshet.Bench.Engine;
using Freshet.Bench.Reporting;
using Freshet.Log;
using Freshet.Nexmark;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Queries;
using Freshet.Sql;
using Freshet.Sql.Parsing;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.LogTopic;

namespace Freshet.Bench.Nexmark;

/// <summary>
/// <c>nexmark --sql</c>: each Nexmark query that has a SQL text (<see cref="NexmarkSql.Queries"/>: q0–q5, q7, q8; q6
/// is refused as in Flink) planned through <c>env.Sql</c>, against the hand-written DataStream job of the same query
/// (<see cref="NexmarkQueries"/>) as the baseline, in the same run and over the same input: one bounded JSON log topic
/// written before any timing by <see cref="NexmarkJsonLogWriter"/> (the form the SQL source table
/// <see cref="NexmarkSql.SourceTable"/> reads). The SQL side reads it through the <c>freshet-log</c> connector and the
/// <c>json</c> format, then the <c>person</c>/<c>auction</c>/<c>bid</c> views; the DataStream side reads it through
/// <c>FromLogTopic</c> with a hand-written <see cref="NexmarkJsonDeserializer"/> into <c>NexmarkEvent</c>. Both use the
/// DDL's watermarks (4 s bounded delay). Only the job's run is timed (not planning); each repetition runs both sides,
/// in alternating order, and the medians are compared. The SQL side counts the changes of its result (an updating
/// query's -U/+U too); the DataStream side counts its results, so the two counts differ where the query updates.
/// Options: <c>--events N</c> (default 1M), <c>--reps R</c> (default 3), <c>--query qN</c> (repeatable; default all
/// with SQL), <c>--parallelism P</c> (default 1; the topic has P partitions).
/// </summary>
internal static class NexmarkSqlSuite
{
    private const string Topic = "nexmark-json";
    private const string WarmUpTopic = "nexmark-json-warmup";

    public static int Run(string[] args)
    {
        long events = 1_000_000;
        var reps = 3;
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
                case "--reps" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    reps = r;
                    i++;
                    break;
                case "--parallelism" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0:
                    parallelism = p;
                    i++;
                    break;
                case "--query" when value is not null && Compared.Contains(value):
                    queries.Add(value);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(value is null || !args[i].StartsWith("--", StringComparison.Ordinal)
                        ? $"Bad option '{args[i]}'."
                        : $"Bad value '{value}' for {args[i]} (events, reps and parallelism are positive integers; queries q0-q5, q7, q8).");
                    Console.Error.WriteLine("usage: Freshet.Bench nexmark --sql [--events N] [--reps R] [--query qN]... [--parallelism P]");
                    return 2;
            }
        }

        if (queries.Count == 0)
        {
            queries.AddRange(Compared);
        }

        var loadAtStart = LoadAverage.Read();
        Console.WriteLine($"Freshet nexmark SQL suite: {events:N0} events per run from a JSON log topic, parallelism {parallelism}, {reps} repetitions (alternating SQL and DataStream), medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, load average {loadAtStart}");

        using var scratch = new ScratchDirectory();
        using var store = LogStore.Open(scratch.Path, new LogStoreOptions { BackgroundMaintenance = false });
        var generator = new NexmarkGenerator();
        Progress($"writing {events:N0} JSON events");
        var warmUpEvents = Math.Min(events, 100_000);
        NexmarkJsonLogWriter.Write(store, WarmUpTopic, generator, 0, warmUpEvents, parallelism);
        NexmarkJsonLogWriter.Write(store, Topic, generator, 0, events, parallelism);

        Progress("warm-up");
        foreach (var query in queries)
        {
            RunDataStream(store, WarmUpTopic, query, warmUpEvents, parallelism);
            RunSql(store, WarmUpTopic, query, warmUpEvents, parallelism);
        }

        var rows = new List<QueryComparison>();
        foreach (var query in queries)
        {
            var comparison = new QueryComparison(query);
            for (var rep = 0; rep < reps; rep++)
            {
                Progress($"{query} repetition {rep + 1} of {reps}");
                if (rep % 2 == 0)
                {
                    comparison.DataStream.Add(RunDataStream(store, Topic, query, events, parallelism));
                    comparison.Sql.Add(RunSql(store, Topic, query, events, parallelism));
                }
                else
                {
                    comparison.Sql.Add(RunSql(store, Topic, query, events, parallelism));
                    comparison.DataStream.Add(RunDataStream(store, Topic, query, events, parallelism));
                }
            }

            rows.Add(comparison);
        }

        var loadAtEnd = LoadAverage.Read();
        Console.WriteLine();
        Console.Write(Format(rows));
        Console.WriteLine("events/s = events read / wall seconds of the job's run; events/CPU-s = events read / CPU seconds the process used meanwhile;");
        Console.WriteLine("ratio = SQL median / DataStream median (1.0 = as fast as the hand-written job).");
        Console.WriteLine($"load average at start {loadAtStart}, at end {loadAtEnd} ({Environment.ProcessorCount} cores; figures from a loaded machine are noisy)");

        var result = new ResultLine();
        foreach (var row in rows)
        {
            result.Add($"{row.Query}_datastream_eps", row.DataStreamMedian, 0);
            result.Add($"{row.Query}_sql_eps", row.SqlMedian, 0);
            result.Add($"{row.Query}_sql_over_datastream", row.Ratio, 3);
            result.Add($"{row.Query}_datastream_eps_per_cpu", row.DataStreamCpuMedian, 0);
            result.Add($"{row.Query}_sql_eps_per_cpu", row.SqlCpuMedian, 0);
            result.Add($"{row.Query}_sql_over_datastream_cpu", row.CpuRatio, 3);
        }

        result.Add("events", events, 0);
        result.Add("reps", reps, 0);
        result.Add("parallelism", parallelism, 0);
        result.Add("load_avg_1m_start", LoadAverage.OneMinute(loadAtStart), 2);
        result.Add("load_avg_1m_end", LoadAverage.OneMinute(loadAtEnd), 2);
        Console.WriteLine(result);
        return 0;
    }

    /// <summary>The queries with both a SQL text and a hand-written DataStream job (q6 has a SQL text, but Flink refuses
    /// it, as Freshet does: it selects B.dateTime without grouping by it; q9–q22 have no DataStream job yet).</summary>
    private static readonly string[] Compared = ["q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8"];

    /// <summary>The hand-written job of <paramref name="query"/> over the JSON topic, decoded by <see cref="NexmarkJsonDeserializer"/>.</summary>
    private static Sample RunDataStream(LogStore store, string topic, string query, long events, int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var source = env.FromLogTopic(
            store, topic, static record => NexmarkJsonDeserializer.Deserialize(record.Value), new LogSourceOptions { Bounded = true },
            NexmarkSource.Watermarks(), "Nexmark JSON Source");
        Func<long> results = query switch
        {
            "q0" => Sink(NexmarkQueries.Q0(source)),
            "q1" => Sink(NexmarkQueries.Q1(source)),
            "q2" => Sink(NexmarkQueries.Q2(source)),
            "q3" => Sink(NexmarkQueries.Q3(source)),
            "q4" => Sink(NexmarkQueries.Q4(source)),
            "q5" => Sink(NexmarkQueries.Q5(source)),
            "q7" => Sink(NexmarkQueries.Q7(source)),
            "q8" => Sink(NexmarkQueries.Q8(source)),
            _ => throw new ArgumentException($"No DataStream job for {query}", nameof(query)),
        };
        return Time(env, query + " datastream", events, results);
    }

    /// <summary>The SQL of <paramref name="query"/> (the text after <c>INSERT INTO nexmark_qN</c>) planned with
    /// <c>env.Sql</c> over the source table on <paramref name="topic"/> and the three views; every change of its
    /// result goes to a counting sink (as a blackhole sink would, but counted).</summary>
    private static Sample RunSql(LogStore store, string topic, string query, long events, int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sql = SqlEnvironment.Create(env, new SqlEnvironmentOptions { LogStore = store });
        sql.ExecuteSqlAsync(NexmarkSql.CreateSourceTable(topic, bounded: true)).GetAwaiter().GetResult();
        foreach (var view in SqlScript.Split(NexmarkSql.Views))
        {
            sql.ExecuteSqlAsync(view.Text).GetAwaiter().GetResult();
        }

        var table = sql.SqlQuery(NexmarkSql.Select(query));
        return Time(env, query + " sql", events, Sink(sql.ToChangelogStream(table)));
    }

    private static Func<long> Sink<T>(DataStream<T> stream)
    {
        var sink = new CountingSink<T>(static _ => 1);
        stream.SinkTo(sink);
        return () => sink.Count;
    }

    private static Sample Time(StreamEnvironment env, string name, long events, Func<long> results)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var job = env.ExecuteAsync(name).GetAwaiter().GetResult();
        job.Completion.GetAwaiter().GetResult();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Sample(events / seconds, events / cpuSeconds, results());
    }

    private static string Format(List<QueryComparison> rows)
    {
        var table = new List<string[]>
        {
            new[] { "query", "DataStream events/s", "SQL events/s", "SQL/DataStream", "DataStream events/CPU-s", "SQL events/CPU-s", "SQL/DataStream (CPU)", "DataStream results", "SQL changes", "DataStream samples", "SQL samples" },
        };
        foreach (var row in rows)
        {
            table.Add(
            [
                row.Query,
                row.DataStreamMedian.ToString("N0", CultureInfo.InvariantCulture),
                row.SqlMedian.ToString("N0", CultureInfo.InvariantCulture),
                row.Ratio.ToString("0.00", CultureInfo.InvariantCulture),
                row.DataStreamCpuMedian.ToString("N0", CultureInfo.InvariantCulture),
                row.SqlCpuMedian.ToString("N0", CultureInfo.InvariantCulture),
                row.CpuRatio.ToString("0.00", CultureInfo.InvariantCulture),
                row.DataStream[0].Results.ToString("N0", CultureInfo.InvariantCulture),
                row.Sql[0].Results.ToString("N0", CultureInfo.InvariantCulture),
                Samples(row.DataStream),
                Samples(row.Sql),
            ]);
        }

        var widths = Enumerable.Range(0, table[0].Length).Select(i => table.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        for (var r = 0; r < table.Count; r++)
        {
            text.AppendLine(string.Join("  ", table[r].Select((cell, i) => i is 0 or 9 or 10 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))));
            if (r == 0)
            {
                text.AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }

        return text.ToString();
    }

    private static string Samples(List<Sample> runs) => string.Join(" ", runs.Select(static r => r.EventsPerSecond.ToString("0", CultureInfo.InvariantCulture)));

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>One timed job run: events read per wall-clock second and per second of the process's CPU time (less
    /// sensitive to other load on a shared machine), and the records (or changes) it emitted.</summary>
    private sealed record Sample(double EventsPerSecond, double EventsPerCpuSecond, long Results);

    /// <summary>Both sides of one query, one <see cref="Sample"/> per repetition each.</summary>
    private sealed class QueryComparison(string query)
    {
        public string Query { get; } = query;

        public List<Sample> DataStream { get; } = [];

        public List<Sample> Sql { get; } = [];

        public double DataStreamMedian => Median.Of([.. DataStream.Select(static r => r.EventsPerSecond)]);

        public double SqlMedian => Median.Of([.. Sql.Select(static r => r.EventsPerSecond)]);

        public double Ratio => SqlMedian / DataStreamMedian;

        public double DataStreamCpuMedian => Median.Of([.. DataStream.Select(static r => r.EventsPerCpuSecond)]);

        public double SqlCpuMedian => Median.Of([.. Sql.Select(static r => r.EventsPerCpuSecond)]);

        public double CpuRatio => SqlCpuMedian / DataStreamCpuMedian;
    }
}
