using Freshet.Log;
using Freshet.Log.Groups;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Cli.Targets;

/// <summary>Topics, produce and consume straight on a data directory, with Freshet.Log in this process (no broker).</summary>
internal sealed class DataDirectoryTarget : ILogTarget
{
    private readonly LogStore _store;

    public DataDirectoryTarget(string directory)
    {
        try
        {
            _store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
        }
        catch (LogException e)
        {
            throw new CliException($"Cannot open the data directory: {e.Message} Stop the process using it, or reach it through its broker with --bootstrap-server.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot open the data directory '{directory}': {e.Message}", e);
        }
    }

    public IReadOnlyList<string> ListTopics() => _store.ListTopics();

    public void CreateTopic(string name, int partitions, IReadOnlyDictionary<string, string> config) =>
        Run(() => _store.CreateTopic(name, partitions, TopicConfig.Default.With(config)));

    public TopicInfo DescribeTopic(string name)
    {
        var description = Run(() => _store.DescribeTopic(name));
        return new TopicInfo(
            description.Name,
            description.Partitions.Select(p => new PartitionInfo(p.Id, p.LogStartOffset, p.LogEndOffset)).ToArray(),
            description.Config.ToDictionary());
    }

    public void DeleteTopic(string name) => Run(() => _store.DeleteTopic(name));

    public long Produce(string topic, IEnumerable<(byte[]? Key, byte[] Value)> records)
    {
        var partitions = Run(() => _store.DescribeTopic(topic)).Partitions.Count;
        var builders = Enumerable.Range(0, partitions).Select(_ => new RecordBatchBuilder()).ToArray();
        long count = 0;
        var next = 0;
        foreach (var (key, value) in records)
        {
            var partition = key is null ? next++ % partitions : KafkaPartitioner.PartitionOf(key, partitions);
            builders[partition].Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), key, value);
            count++;
            if (builders[partition].Count >= 1000)
            {
                Append(topic, partition, builders[partition]);
            }
        }

        for (var p = 0; p < partitions; p++)
        {
            Append(topic, p, builders[p]);
        }

        _store.Flush();
        return count;
    }

    public long Consume(ConsumeRequest request, Action<ConsumedRecord> onRecord, CancellationToken cancellation)
    {
        var description = Run(() => _store.DescribeTopic(request.Topic));
        var positions = new long[description.Partitions.Count];
        for (var p = 0; p < positions.Length; p++)
        {
            var partition = _store.GetPartition(request.Topic, p);
            positions[p] = request.Group is not null && _store.GroupOffsets.TryFetch(request.Group, request.Topic, p, out var committed) && committed.Offset >= 0
                ? committed.Offset
                : request.FromBeginning ? partition.LogStartOffset : partition.LogEndOffset;
        }

        long consumed = 0;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var progressed = false;
                for (var p = 0; p < positions.Length && !Done(); p++)
                {
                    var partition = _store.GetPartition(request.Topic, p);
                    positions[p] = Math.Max(positions[p], partition.LogStartOffset);
                    var lastStableOffset = partition.LastStableOffset;
                    if (positions[p] >= lastStableOffset)
                    {
                        continue;
                    }

                    // read_committed, as through the broker: data of open or aborted transactions is not printed.
                    var finished = true;
                    foreach (var record in partition.ReadCommittedRecords(positions[p]))
                    {
                        onRecord(new ConsumedRecord(p, record.Offset, record.Key, record.Value));
                        positions[p] = record.Offset + 1;
                        consumed++;
                        progressed = true;
                        if (Done())
                        {
                            finished = false;
                            break;
                        }
                    }

                    // Aborted records and transaction markers below the last stable offset are skipped for good.
                    if (finished)
                    {
                        positions[p] = Math.Max(positions[p], lastStableOffset);
                    }
                }

                if (Done() || (!progressed && !request.Follow))
                {
                    break;
                }

                if (!progressed)
                {
                    cancellation.WaitHandle.WaitOne(100);
                }
            }
        }
        finally
        {
            if (request.Group is not null)
            {
                _store.GroupOffsets.Commit(request.Group, positions.Select((offset, p) => new OffsetCommit(request.Topic, p, offset)).ToArray());
            }
        }

        return consumed;

        bool Done() => request.MaxMessages is { } max && consumed >= max;
    }

    public void Dispose() => _store.Dispose();

    private void Append(string topic, int partition, RecordBatchBuilder builder)
    {
        if (builder.Count > 0)
        {
            _store.GetPartition(topic, partition).Append(builder.Build());
            builder.Reset();
        }
    }

    private static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (LogException e)
        {
            throw new CliException(e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    private static void Run(Action action) => Run(() =>
    {
        action();
        return 0;
    });
}
