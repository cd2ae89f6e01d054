using System.Text;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Connectors;

/// <summary>
/// The log topic source's isolation level against a real store with transactions written by the exactly-once log
/// sink's writer: read_committed (the default) reads committed data only, read_uncommitted reads every data record.
/// </summary>
public sealed class LogTopicIsolationTests : IDisposable
{
    private const string Topic = "in";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-isolation-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ReadCommitted_by_default_skips_aborted_records_and_ends_a_bounded_read_before_an_open_transaction()
    {
        using var store = Open();
        using var open = WriteTransactions(store);

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<string>();
        env.FromLogTopic(store, Topic, Text, new LogSourceOptions { Bounded = true }).SinkTo(sink);
        await JobRunner.RunAsync(env);

        Assert.Equal(["plain-1", "committed-1", "committed-2", "plain-2"], sink.Results);
    }

    [Fact]
    public async Task ReadUncommitted_reads_aborted_and_open_transactions_records_too()
    {
        using var store = Open();
        using var open = WriteTransactions(store);

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<string>();
        env.FromLogTopic(store, Topic, Text, new LogSourceOptions { Bounded = true, ReadCommitted = false }).SinkTo(sink);
        await JobRunner.RunAsync(env);

        Assert.Equal(["plain-1", "committed-1", "committed-2", "aborted-1", "plain-2", "open-1", "plain-3"], sink.Results);
    }

    [Fact]
    public async Task ReadCommitted_unbounded_waits_for_an_open_transaction_and_reads_it_once_committed()
    {
        using var store = Open();
        using var open = WriteTransactions(store);

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        var sink = new CollectingSink<string>();
        env.FromLogTopic(store, Topic, Text).SinkTo(sink);
        var job = await env.ExecuteAsync();
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 4);

        // plain-3 was appended after the open transaction began: it waits behind the last stable offset with it.
        await Task.Delay(200);
        Assert.Equal(4, sink.Results.Count);

        open.Commit(open.PreCommit(checkpointId: 2)!.Value);
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 6);
        await job.CancelAsync();
        Assert.Equal(["plain-1", "committed-1", "committed-2", "plain-2", "open-1", "plain-3"], sink.Results);
    }

    private LogStore Open()
    {
        var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic(Topic, 1);
        return store;
    }

    /// <summary>
    /// Writes, in offset order: plain-1; a committed transaction (committed-1, committed-2); an aborted one (aborted-1);
    /// plain-2; a transaction left open (open-1, returned to the caller to commit); plain-3.
    /// </summary>
    private static TransactionalLogWriter WriteTransactions(LogStore store)
    {
        Append(store, "plain-1");
        using (var committing = new TransactionalLogWriter(store, Topic, "committing", subtask: 0, parallelism: 1, transactionTimeoutMs: 60_000))
        {
            committing.Recover([]);
            Write(committing, "committed-1", "committed-2");
            committing.Commit(committing.PreCommit(checkpointId: 1)!.Value);
        }

        using (var aborting = new TransactionalLogWriter(store, Topic, "aborting", subtask: 0, parallelism: 1, transactionTimeoutMs: 60_000))
        {
            aborting.Recover([]);
            Write(aborting, "aborted-1");
            aborting.FlushBatches();
            aborting.AbortCurrent();
        }

        Append(store, "plain-2");
        var open = new TransactionalLogWriter(store, Topic, "open", subtask: 0, parallelism: 1, transactionTimeoutMs: 60_000);
        open.Recover([]);
        Write(open, "open-1");
        open.FlushBatches();
        Append(store, "plain-3");
        return open;
    }

    private static void Write(TransactionalLogWriter writer, params string[] values)
    {
        foreach (var value in values)
        {
            writer.Write(0, 1_000, null, Encoding.UTF8.GetBytes(value));
        }
    }

    private static void Append(LogStore store, string value)
    {
        var builder = new RecordBatchBuilder();
        builder.Add(1_000, null, Encoding.UTF8.GetBytes(value));
        store.GetPartition(Topic, 0).Append(builder.Build());
    }

    private static string Text(LogRecord record) => Encoding.UTF8.GetString(record.Value!);
}
