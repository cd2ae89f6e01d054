using System.Collections.Concurrent;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Streaming;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Connectors;

/// <summary>Catalog tables from DDL, a real log store in a temporary directory, a collecting sink and a job runner with a deadline.</summary>
internal static class ConnectorTestSupport
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static CatalogTable Table(string createTable)
    {
        var catalog = new SqlCatalog();
        catalog.Apply(SqlParser.ParseStatement(createTable));
        return catalog.TryGetTable(catalog.ShowTables().Single(), out var table) ? table : throw new InvalidOperationException();
    }

    public static StreamEnvironment Environment() => StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });

    public static async Task RunAsync(StreamEnvironment environment)
    {
        var job = await environment.ExecuteAsync("sql-connector-test");
        await job.Completion.WaitAsync(Deadline);
    }

    /// <summary>Runs the job and returns the exception it failed with.</summary>
    public static async Task<Exception> FailAsync(StreamEnvironment environment)
    {
        var job = await environment.ExecuteAsync("sql-connector-test");
        return await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(Deadline));
    }

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain of inner exceptions.</summary>
    public static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }

    public static DataStream<Change<Row>> Inserts(StreamEnvironment environment, params Row[] rows) =>
        environment.FromCollection(rows.Select(r => new Change<Row>(RowKind.Insert, r)).ToArray());

    public static void Append(LogStore store, string topic, int partition, params LogRecord[] records)
    {
        var builder = new RecordBatchBuilder();
        foreach (var record in records)
        {
            builder.Add(record);
        }

        store.GetPartition(topic, partition).Append(builder.Build());
    }
}

/// <summary>A log store in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempLogStore : IDisposable
{
    public TempLogStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "freshet-sql-connectors", Guid.NewGuid().ToString("N"));
        Store = LogStore.Open(Directory, new LogStoreOptions { BackgroundMaintenance = false });
    }

    public string Directory { get; }

    public LogStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans temporary directories eventually.
        }
    }
}

/// <summary>Collects every change it is given, from any subtask, with its event time.</summary>
internal sealed class CollectSink : Sink<Change<Row>>
{
    public ConcurrentQueue<Change<Row>> Changes { get; } = new();

    public ConcurrentQueue<(Change<Row> Change, long Timestamp)> Timed { get; } = new();

    public override SinkWriter<Change<Row>> CreateWriter(SinkContext context) => new Writer(this);

    private sealed class Writer(CollectSink sink) : SinkWriter<Change<Row>>
    {
        public override void Write(ReadOnlySpan<Change<Row>> values, ReadOnlySpan<long> timestamps)
        {
            for (var i = 0; i < values.Length; i++)
            {
                sink.Changes.Enqueue(values[i]);
                sink.Timed.Enqueue((values[i], timestamps[i]));
            }
        }
    }
}
