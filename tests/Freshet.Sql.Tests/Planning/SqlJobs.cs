using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Planning;

/// <summary>Runs SQL queries over bounded DataStream views to completion and materialises their changelogs.</summary>
internal static class SqlJobs
{
    public static StreamEnvironment Environment(int parallelism = 1) =>
        StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism, BufferTimeout = TimeSpan.FromMilliseconds(5) });

    /// <summary>Plans <paramref name="query"/> in <paramref name="environment"/>, runs the job to its end and returns every change.</summary>
    public static async Task<IReadOnlyList<Change<Row>>> RunAsync(StreamEnvironment environment, string query)
    {
        var table = environment.Sql.SqlQuery(query);
        var sink = new CollectingSink<Change<Row>>();
        environment.Sql.ToChangelogStream(table).SinkTo(sink).SetParallelism(1);
        var job = await environment.ExecuteAsync("sql test");
        await job.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        return sink.Results;
    }

    /// <summary>The rows a changelog leaves when applied in order (a multiset, as sorted strings).</summary>
    /// <exception cref="InvalidOperationException">A change withdraws a row that is not there.</exception>
    public static IReadOnlyList<string> Materialize(IEnumerable<Change<Row>> changes)
    {
        var rows = new Dictionary<Row, int>();
        foreach (var change in changes)
        {
            rows.TryGetValue(change.Row, out var count);
            count += change.IsAddition ? 1 : -1;
            if (count < 0)
            {
                throw new InvalidOperationException($"{change} withdraws a row that is not in the result");
            }

            if (count == 0)
            {
                rows.Remove(change.Row);
            }
            else
            {
                rows[change.Row] = count;
            }
        }

        return Sorted(rows.SelectMany(r => Enumerable.Repeat(r.Key, r.Value)));
    }

    public static IReadOnlyList<string> Sorted(IEnumerable<Row> rows) => rows.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Sorted(IEnumerable<object?[]> rows) => Sorted(rows.Select(r => new Row(r)));
}
