using Freshet.Log.Producers;
using Freshet.Log.Records;
using Freshet.Log.Segments;
using Freshet.Log.Transactions;

namespace Freshet.Log.Partitions;

public sealed partial class Partition
{
    /// <summary>
    /// Returns stored batches like <see cref="Read"/>, but only whole batches below
    /// <see cref="LastStableOffset"/> (Kafka's read_committed isolation). Aborted transactional batches
    /// are still returned, as Kafka does: drop them with <see cref="GetAbortedTransactions"/>, or use
    /// <see cref="ReadCommittedRecords"/>. <see cref="LogReadResult.HighWatermark"/> is the high watermark;
    /// the result's records end at or before the <paramref name="lastStableOffset"/> returned.
    /// </summary>
    /// <exception cref="LogException">As for <see cref="Read"/>.</exception>
    public LogReadResult ReadCommitted(long offset, int maxBytes, out long lastStableOffset)
    {
        lastStableOffset = LastStableOffset;
        var result = Read(offset, maxBytes);
        return result with { Records = result.Records[..StableLength(result.Records.Span, lastStableOffset)] };
    }

    /// <summary>
    /// Copies whole stored batches below <see cref="LastStableOffset"/> into <paramref name="destination"/>,
    /// as <see cref="ReadInto"/> does (read_committed isolation).
    /// </summary>
    /// <param name="offset">First offset wanted.</param>
    /// <param name="destination">Where the batches go.</param>
    /// <param name="firstBatchBytes">Size of the first batch to return, or 0 when none is below the last stable offset.</param>
    /// <param name="lastStableOffset">The <see cref="LastStableOffset"/> the read was bounded by.</param>
    /// <returns>Bytes copied (whole batches).</returns>
    public int ReadCommittedInto(long offset, Span<byte> destination, out int firstBatchBytes, out long lastStableOffset)
    {
        lastStableOffset = LastStableOffset;
        if (offset >= lastStableOffset)
        {
            SegmentsForRead(offset, out _, out _);
            firstBatchBytes = 0;
            return 0;
        }

        var written = ReadInto(offset, destination, out firstBatchBytes);
        if (written == 0)
        {
            return 0;
        }

        var stable = StableLength(destination[..written], lastStableOffset);
        if (stable == 0)
        {
            firstBatchBytes = 0;
        }

        return stable;
    }

    /// <summary>
    /// The aborted transactions with records in <c>[startOffset, endOffset)</c>, oldest first (Kafka's
    /// <c>aborted_transactions</c> of a read_committed fetch).
    /// </summary>
    public IReadOnlyList<AbortedTransaction> GetAbortedTransactions(long startOffset, long endOffset) =>
        _abortedTransactions.Overlapping(startOffset, endOffset);

    /// <summary>
    /// Reads committed data records from <paramref name="offset"/> up to the <see cref="LastStableOffset"/>
    /// at the time of the call, in offset order: records of aborted transactions and control batches
    /// are skipped. For in-process consumers (the embedded engine's read_committed sources).
    /// </summary>
    /// <exception cref="LogException">As for <see cref="Read"/>.</exception>
    public IEnumerable<LogRecord> ReadCommittedRecords(long offset)
    {
        var endOffset = LastStableOffset;
        return EnumerateCommittedRecords(offset, endOffset, AbortedTransactionsByProducer(offset, endOffset));
    }

    /// <summary>The aborted transactions with records in <c>[startOffset, endOffset)</c>, by producer id.</summary>
    internal Dictionary<long, List<AbortedTransaction>> AbortedTransactionsByProducer(long startOffset, long endOffset)
    {
        var aborted = new Dictionary<long, List<AbortedTransaction>>();
        foreach (var entry in GetAbortedTransactions(startOffset, endOffset))
        {
            if (!aborted.TryGetValue(entry.ProducerId, out var list))
            {
                list = [];
                aborted[entry.ProducerId] = list;
            }

            list.Add(entry);
        }

        return aborted;
    }

    private IEnumerable<LogRecord> EnumerateCommittedRecords(long offset, long endOffset, Dictionary<long, List<AbortedTransaction>> aborted)
    {
        while (offset < endOffset)
        {
            var read = ReadCommitted(offset, 1024 * 1024, out _);
            if (read.Records.IsEmpty)
            {
                yield break;
            }

            var next = offset;
            foreach (var (header, bytes) in RecordBatchReader.ReadBatches(read.Records))
            {
                next = header.LastOffset + 1;
                if (header.LastOffset < offset || header.BaseOffset >= endOffset || header.IsControl || IsAborted(header, aborted))
                {
                    continue;
                }

                foreach (var record in RecordBatchReader.DecodeBatch(bytes.Span))
                {
                    if (record.Offset >= offset && record.Offset < endOffset)
                    {
                        yield return record;
                    }
                }
            }

            if (next <= offset)
            {
                yield break;
            }

            offset = next;
        }
    }

    /// <summary>Whether <paramref name="header"/> is a transactional batch of one of the <paramref name="aborted"/> transactions.</summary>
    internal static bool IsAborted(in RecordBatchHeader header, Dictionary<long, List<AbortedTransaction>> aborted)
    {
        if (!header.IsTransactional || !aborted.TryGetValue(header.ProducerId, out var entries))
        {
            return false;
        }

        foreach (var entry in entries)
        {
            if (header.BaseOffset >= entry.FirstOffset && header.BaseOffset <= entry.LastOffset)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Length of the leading whole batches of <paramref name="batches"/> that start below <paramref name="lastStableOffset"/>.</summary>
    private static int StableLength(ReadOnlySpan<byte> batches, long lastStableOffset)
    {
        var position = 0;
        while (position < batches.Length && RecordBatchHeader.TryRead(batches[position..], out var header) && header.BaseOffset < lastStableOffset)
        {
            position += header.TotalSize;
        }

        return Math.Min(position, batches.Length);
    }

    /// <summary>
    /// Allows <paramref name="producerId"/> at <paramref name="producerEpoch"/> to append transactional
    /// batches here: the coordinator calls it when the partition is added to the producer's transaction.
    /// </summary>
    internal void RegisterTransaction(long producerId, short producerEpoch)
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _transactionalProducers[producerId] = producerEpoch;
        }
    }

    /// <summary>The producers with an open transaction holding data here: id, epoch and first offset.</summary>
    internal List<(long ProducerId, short ProducerEpoch, long FirstOffset)> OpenTransactions()
    {
        lock (_appendLock)
        {
            return _producers.OpenTransactions();
        }
    }

    /// <summary>The idempotent and transactional producers this partition has state for (DescribeProducers), ascending by id.</summary>
    internal List<ActiveProducer> ActiveProducers()
    {
        lock (_appendLock)
        {
            return _producers.Describe();
        }
    }

    /// <summary>
    /// Writes a COMMIT or ABORT marker ending <paramref name="producerId"/>'s transaction on this
    /// partition and fsyncs it before returning. An abort of a transaction with data here is added to
    /// the aborted-transaction index. The producer's registration ends; a newer epoch fences older ones.
    /// </summary>
    /// <returns>The marker's offset.</returns>
    internal long WriteTransactionMarker(long producerId, short producerEpoch, bool commit, int coordinatorEpoch)
    {
        lock (_appendLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var offset = _logEndOffset;
            var marker = ControlRecord.BuildMarker(producerId, producerEpoch, commit, coordinatorEpoch, now, offset);
            var active = _segments[^1];
            if (ShouldRoll(active, Config, marker.Length, offset, now))
            {
                active = RollLocked(now);
            }

            active.Append(marker, [new SegmentAppend(0, marker.Length, offset, offset, now)], now, LeaderEpoch);
            Volatile.Write(ref _logEndOffset, offset + 1);
            active.Flush();
            Volatile.Write(ref _durableEndOffset, _logEndOffset);

            var first = _producers.ApplyMarker(producerId, producerEpoch);
            var earliest = _producers.EarliestOpenTransactionOffset();
            if (!commit && first >= 0)
            {
                _abortedTransactions.Add(new AbortedTransaction(producerId, first, offset, Math.Min(earliest, offset + 1)));
            }

            _transactionalProducers.Remove(producerId);
            Volatile.Write(ref _earliestOpenTransactionOffset, earliest);
            return offset;
        }
    }

    /// <summary>Refuses a transactional batch from a producer the coordinator has not registered here at that epoch.</summary>
    private void CheckTransactionalAppendLocked(in RecordBatchHeader header)
    {
        if (_transactionalProducers.TryGetValue(header.ProducerId, out var epoch))
        {
            if (header.ProducerEpoch == epoch)
            {
                return;
            }

            if (header.ProducerEpoch < epoch)
            {
                throw new LogException(LogErrorCode.InvalidProducerEpoch, $"Append to {Topic}-{Id} rejected: transactional producer {header.ProducerId} used epoch {header.ProducerEpoch}, but epoch {epoch} holds the transaction.");
            }
        }

        throw new LogException(LogErrorCode.InvalidTxnState, $"Append to {Topic}-{Id} rejected: producer {header.ProducerId} epoch {header.ProducerEpoch} has not added this partition to a transaction.");
    }
}
