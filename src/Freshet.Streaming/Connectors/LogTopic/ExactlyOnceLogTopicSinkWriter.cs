using System.Buffers.Binary;
using System.Text;
using Freshet.Log;
using Freshet.Log.Partitions;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>
/// One subtask of a log-topic sink with <see cref="DeliveryGuarantee.ExactlyOnce"/>: the record-to-partition rule of
/// <see cref="LogTopicSinkWriter{T}"/>, written through a <see cref="TransactionalLogWriter"/> and driven by the
/// runtime's two-phase-commit calls. Each input batch is appended (uncommitted) at once, so a checkpoint's pre-commit
/// only fsyncs. Committable bytes (big-endian): version byte 1, int32 UTF-8 length and the transactional id, int64
/// producer id, int16 epoch, int64 checkpoint id. Task thread only.
/// </summary>
internal sealed class ExactlyOnceLogTopicSinkWriter<T> : TwoPhaseCommitSinkWriter<T>
{
    private readonly Func<T, (byte[]? Key, byte[]? Value)> _serializer;
    private readonly TransactionalLogWriter _writer;
    private readonly int _defaultPartition;

    public ExactlyOnceLogTopicSinkWriter(LogStore store, string topic, Func<T, (byte[]? Key, byte[]? Value)> serializer, string transactionalIdPrefix, int subtask, int parallelism, TimeSpan transactionTimeout)
    {
        _serializer = serializer;
        _writer = new TransactionalLogWriter(store, topic, transactionalIdPrefix, subtask, parallelism, (int)Math.Min(int.MaxValue, transactionTimeout.TotalMilliseconds));
        _defaultPartition = subtask % _writer.PartitionCount;
    }

    /// <summary>The sink operator's counters; the bytes of keys and values written are added once per <see cref="Write"/>. Null counts nothing.</summary>
    public Operators.OperatorMetricsCounter? Metrics { get; init; }

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        long bytes = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var (key, value) = _serializer(values[i]);
            bytes += (key?.Length ?? 0) + (value?.Length ?? 0);
            var partition = key is null ? _defaultPartition : KafkaPartitioner.PartitionOf(key, _writer.PartitionCount);
            var timestamp = timestamps[i] == long.MinValue ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : timestamps[i];
            _writer.Write(partition, timestamp, key, value);
        }

        _writer.FlushBatches();
        if (Metrics is { } metrics)
        {
            metrics.BytesOut += bytes;
        }
    }

    /// <summary>Nothing to do: records become visible only when their checkpoint completes (the job's final checkpoint covers the end of input).</summary>
    public override void Flush(bool endOfInput)
    {
    }

    public override byte[]? PreCommit(long checkpointId) => _writer.PreCommit(checkpointId) is { } committable ? Encode(committable) : null;

    public override void Commit(IReadOnlyList<byte[]> committables)
    {
        foreach (var committable in committables)
        {
            _writer.Commit(Decode(committable));
        }
    }

    /// <summary>Each log committable names its own transactional id, so whose subtask it was does not matter.</summary>
    public override void Recover(IReadOnlyList<RestoredCommittable> committables) => _writer.Recover(committables.Select(static c => Decode(c.Committable)));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Dispose();
        }

        base.Dispose(disposing);
    }

    internal static byte[] Encode(LogTransactionCommittable committable)
    {
        var id = Encoding.UTF8.GetBytes(committable.TransactionalId);
        var bytes = new byte[1 + 4 + id.Length + 8 + 2 + 8];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), id.Length);
        id.CopyTo(bytes, 5);
        var at = 5 + id.Length;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at), committable.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(at + 8), committable.ProducerEpoch);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 10), committable.CheckpointId);
        return bytes;
    }

    internal static LogTransactionCommittable Decode(byte[] bytes)
    {
        var idLength = bytes.Length >= 5 && bytes[0] == 1 ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)) : -1;
        if (idLength < 0 || bytes.Length != 5 + idLength + 18)
        {
            throw new InvalidDataException("Not a log transaction committable (version 1).");
        }

        var at = 5 + idLength;
        return new LogTransactionCommittable(
            Encoding.UTF8.GetString(bytes, 5, idLength),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at)),
            BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(at + 8)),
            BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at + 10)));
    }
}
