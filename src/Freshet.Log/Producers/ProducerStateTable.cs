using System.Buffers.Binary;
using Freshet.Log.Records;
using Freshet.Log.Segments;
using Freshet.Log.Transactions;

namespace Freshet.Log.Producers;

/// <summary>
/// Idempotent-producer state of one partition: for each producer id, its epoch and last five batches,
/// so that a re-sent batch is acknowledged with its original offsets, a sequence gap is refused
/// (<see cref="LogErrorCode.OutOfOrderSequenceNumber"/>) and an older epoch is fenced
/// (<see cref="LogErrorCode.InvalidProducerEpoch"/>), with Kafka's rules.
/// <para>
/// Durability: the table is a function of the log. A snapshot file (<c>producer-state.snapshot</c>)
/// records it as of an offset at each segment roll and at close; on open the snapshot is loaded
/// and the batches after its offset are replayed. A missing, corrupt or too-new snapshot is
/// ignored and the table is rebuilt from the whole log.
/// </para>
/// <para>
/// Transactions: each entry also holds the first offset of the producer's open transaction on this
/// partition (<see cref="ProducerEntry.TransactionFirstOffset"/>), set by its first transactional
/// data batch and cleared by a COMMIT or ABORT marker; the smallest of them bounds the partition's
/// <c>LastStableOffset</c>.
/// </para>
/// Snapshot format (big-endian): "FPST", int16 version 2, int64 offset, int32 producer count, then
/// per producer int64 id, int16 epoch, int64 last timestamp, int64 open transaction's first offset
/// (-1: none; absent in version 1), int8 batch count, and per batch int32 first and last sequence,
/// int64 first and last offset, int64 timestamp; finally a CRC-32C of all preceding bytes.
/// Thread-safety: not thread-safe; the owning partition calls it under its append lock.
/// </summary>
internal sealed class ProducerStateTable
{
    public const string SnapshotFileName = "producer-state.snapshot";

    private const short SnapshotVersion = 2;
    private static ReadOnlySpan<byte> Magic => "FPST"u8;

    private readonly Dictionary<long, ProducerEntry> _producers = [];
    private readonly string _directory;

    private ProducerStateTable(string directory)
    {
        _directory = directory;
    }

    public int Count => _producers.Count;

    public bool TryGet(long producerId, out ProducerEntry entry) => _producers.TryGetValue(producerId, out entry!);

    /// <summary>The smallest first offset of an open transaction, or <see cref="long.MaxValue"/> when none is open.</summary>
    public long EarliestOpenTransactionOffset()
    {
        var earliest = long.MaxValue;
        foreach (var entry in _producers.Values)
        {
            if (entry.TransactionFirstOffset >= 0 && entry.TransactionFirstOffset < earliest)
            {
                earliest = entry.TransactionFirstOffset;
            }
        }

        return earliest;
    }

    /// <summary>The producers with an open transaction on this partition: id, epoch and first offset.</summary>
    public List<(long ProducerId, short ProducerEpoch, long FirstOffset)> OpenTransactions()
    {
        var open = new List<(long, short, long)>();
        foreach (var entry in _producers.Values)
        {
            if (entry.TransactionFirstOffset >= 0)
            {
                open.Add((entry.ProducerId, entry.Epoch, entry.TransactionFirstOffset));
            }
        }

        return open;
    }

    /// <summary>Every producer this partition has state for, ascending by producer id.</summary>
    public List<ActiveProducer> Describe()
    {
        var producers = new List<ActiveProducer>(_producers.Count);
        foreach (var entry in _producers.Values)
        {
            producers.Add(new ActiveProducer(entry.ProducerId, entry.Epoch, entry.LastSequence, entry.LastTimestampMs, entry.TransactionFirstOffset));
        }

        producers.Sort(static (a, b) => a.ProducerId.CompareTo(b.ProducerId));
        return producers;
    }

    /// <summary>
    /// Records a stored transaction marker: the producer's open transaction ends, and a newer marker
    /// epoch becomes its epoch.
    /// </summary>
    /// <returns>The first offset of the transaction the marker ended, or -1 if the producer had none open here.</returns>
    public long ApplyMarker(long producerId, short producerEpoch)
    {
        if (!_producers.TryGetValue(producerId, out var entry))
        {
            entry = new ProducerEntry(producerId, producerEpoch);
            _producers[producerId] = entry;
        }

        var first = entry.TransactionFirstOffset;
        entry.ApplyMarkerEpoch(producerEpoch);
        return first;
    }

    /// <summary>Decides whether a batch from an idempotent producer may be appended (Kafka's ProducerAppendInfo rules).</summary>
    public ProducerCheck Check(in RecordBatchHeader batch)
    {
        if (!batch.HasProducerId)
        {
            return ProducerCheck.Accepted;
        }

        if (batch.BaseSequence < 0)
        {
            return ProducerCheck.Reject(LogErrorCode.InvalidRecord, $"producer {batch.ProducerId} sent a batch without a sequence number.");
        }

        if (!_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            // Unknown producer (new, or its state aged out with retention): any sequence is accepted.
            return ProducerCheck.Accepted;
        }

        if (batch.ProducerEpoch < entry.Epoch)
        {
            return ProducerCheck.Reject(LogErrorCode.InvalidProducerEpoch, $"producer {batch.ProducerId} used epoch {batch.ProducerEpoch}, older than the current epoch {entry.Epoch}.");
        }

        if (batch.ProducerEpoch == entry.Epoch)
        {
            var duplicate = entry.FindDuplicate(batch.BaseSequence, batch.LastSequence);
            if (duplicate is { } original)
            {
                return new ProducerCheck(ProducerCheckOutcome.Duplicate, original.FirstOffset, original.LastOffset);
            }

            if (entry.LastSequence >= 0 && !InSequence(entry.LastSequence, batch.BaseSequence))
            {
                return ProducerCheck.Reject(LogErrorCode.OutOfOrderSequenceNumber, $"producer {batch.ProducerId} epoch {batch.ProducerEpoch} sent sequence {batch.BaseSequence}, expected {NextSequence(entry.LastSequence)}.");
            }
        }
        else if (batch.BaseSequence != 0)
        {
            return ProducerCheck.Reject(LogErrorCode.OutOfOrderSequenceNumber, $"producer {batch.ProducerId} started epoch {batch.ProducerEpoch} at sequence {batch.BaseSequence}; a new epoch starts at 0.");
        }

        return ProducerCheck.Accepted;
    }

    /// <summary>Records a stored batch (after <see cref="Check"/> accepted it, or while replaying the log).</summary>
    public void Update(in RecordBatchHeader batch, long firstOffset, long lastOffset, long nowMs)
    {
        if (!batch.HasProducerId || batch.IsControl)
        {
            return;
        }

        if (!_producers.TryGetValue(batch.ProducerId, out var entry))
        {
            entry = new ProducerEntry(batch.ProducerId, batch.ProducerEpoch);
            _producers[batch.ProducerId] = entry;
        }

        entry.Add(batch.ProducerEpoch, new BatchMetadata(batch.BaseSequence, batch.LastSequence, firstOffset, lastOffset, Math.Max(batch.MaxTimestamp, nowMs)));
        if (batch.IsTransactional && entry.TransactionFirstOffset < 0)
        {
            entry.TransactionFirstOffset = firstOffset;
        }
    }

    private static bool InSequence(int lastSequence, int nextSequence) => nextSequence == NextSequence(lastSequence);

    private static int NextSequence(int lastSequence) => lastSequence == int.MaxValue ? 0 : lastSequence + 1;

    /// <summary>Writes the table as of <paramref name="offset"/> (the log end) durably.</summary>
    public void WriteSnapshot(long offset)
    {
        var size = 4 + 2 + 8 + 4 + 4;
        foreach (var entry in _producers.Values)
        {
            size += 8 + 2 + 8 + 8 + 1 + (entry.Batches.Count * 32);
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], SnapshotVersion);
        BinaryPrimitives.WriteInt64BigEndian(span[6..], offset);
        BinaryPrimitives.WriteInt32BigEndian(span[14..], _producers.Count);
        var at = 18;
        foreach (var entry in _producers.Values)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[at..], entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[(at + 8)..], entry.Epoch);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 10)..], entry.LastTimestampMs);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 18)..], entry.TransactionFirstOffset);
            span[at + 26] = (byte)entry.Batches.Count;
            at += 27;
            foreach (var batch in entry.Batches)
            {
                BinaryPrimitives.WriteInt32BigEndian(span[at..], batch.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[(at + 4)..], batch.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], batch.FirstOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 16)..], batch.LastOffset);
                BinaryPrimitives.WriteInt64BigEndian(span[(at + 24)..], batch.TimestampMs);
                at += 32;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[at..], Crc32C.Compute(span[..at]));
        SegmentFiles.WriteAllBytesDurably(Path.Combine(_directory, SnapshotFileName), bytes);
    }

    /// <summary>
    /// Loads the snapshot (if usable) and replays the batches stored after it, or every batch when
    /// <paramref name="replayWholeLog"/> is set. ABORT markers met during the replay are added to
    /// <paramref name="replayedAborts"/> in log order, with the <c>LastStableOffset</c> after each.
    /// </summary>
    public static ProducerStateTable Load(string directory, LogSegment[] segments, ICollection<string> report, string partitionName, bool replayWholeLog, List<AbortedTransaction> replayedAborts)
    {
        var logEnd = segments[^1].NextOffset;
        var table = new ProducerStateTable(directory);
        var replayFrom = segments[0].BaseOffset;
        var path = Path.Combine(directory, SnapshotFileName);
        if (File.Exists(path) && !replayWholeLog)
        {
            if (table.TryReadSnapshot(File.ReadAllBytes(path), out var snapshotOffset) && snapshotOffset <= logEnd)
            {
                replayFrom = Math.Max(replayFrom, snapshotOffset);
            }
            else
            {
                table._producers.Clear();
                report.Add($"{partitionName}: the producer-state snapshot was unusable; rebuilt it from the log.");
            }
        }

        foreach (var segment in segments)
        {
            if (segment.NextOffset <= replayFrom)
            {
                continue;
            }

            try
            {
                var current = segment;
                segment.ScanHeaders(replayFrom, (header, _) =>
                {
                    if (header.IsControl)
                    {
                        table.ReplayMarker(current, header, replayedAborts);
                    }
                    else
                    {
                        table.Update(header, header.BaseOffset, header.LastOffset, header.MaxTimestamp);
                    }

                    return true;
                });
            }
            catch (LogException e)
            {
                report.Add($"{partitionName}: producer state could not be replayed past a corrupt batch: {e.Message}");
                break;
            }
        }

        return table;
    }

    private void ReplayMarker(LogSegment segment, in RecordBatchHeader header, List<AbortedTransaction> replayedAborts)
    {
        if (!header.HasProducerId)
        {
            return;
        }

        var batch = segment.Read(header.BaseOffset, header.TotalSize);
        if (!ControlRecord.TryReadMarker(batch.Span[..header.TotalSize], out var isCommit))
        {
            return;
        }

        var first = ApplyMarker(header.ProducerId, header.ProducerEpoch);
        if (!isCommit && first >= 0)
        {
            var earliest = EarliestOpenTransactionOffset();
            replayedAborts.Add(new AbortedTransaction(header.ProducerId, first, header.BaseOffset, Math.Min(earliest, header.BaseOffset + 1)));
        }
    }

    private bool TryReadSnapshot(ReadOnlySpan<byte> bytes, out long offset)
    {
        offset = -1;
        var version = bytes.Length < 22 ? (short)-1 : BinaryPrimitives.ReadInt16BigEndian(bytes[4..]);
        if (bytes.Length < 22 || !bytes.StartsWith(Magic) || version is not (1 or SnapshotVersion))
        {
            return false;
        }

        var entryHeaderBytes = version == 1 ? 19 : 27;

        var body = bytes[..^4];
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(bytes[^4..]))
        {
            return false;
        }

        offset = BinaryPrimitives.ReadInt64BigEndian(body[6..]);
        var count = BinaryPrimitives.ReadInt32BigEndian(body[14..]);
        var at = 18;
        for (var i = 0; i < count; i++)
        {
            if (body.Length - at < entryHeaderBytes)
            {
                return false;
            }

            var entry = new ProducerEntry(BinaryPrimitives.ReadInt64BigEndian(body[at..]), BinaryPrimitives.ReadInt16BigEndian(body[(at + 8)..]));
            int batches = body[at + entryHeaderBytes - 1];
            if (version >= 2)
            {
                entry.TransactionFirstOffset = BinaryPrimitives.ReadInt64BigEndian(body[(at + 18)..]);
            }

            at += entryHeaderBytes;
            if (batches > ProducerEntry.MaxCachedBatches || body.Length - at < batches * 32)
            {
                return false;
            }

            for (var b = 0; b < batches; b++)
            {
                entry.Add(entry.Epoch, new BatchMetadata(
                    BinaryPrimitives.ReadInt32BigEndian(body[at..]),
                    BinaryPrimitives.ReadInt32BigEndian(body[(at + 4)..]),
                    BinaryPrimitives.ReadInt64BigEndian(body[(at + 8)..]),
                    BinaryPrimitives.ReadInt64BigEndian(body[(at + 16)..]),
                    BinaryPrimitives.ReadInt64BigEndian(body[(at + 24)..])));
                at += 32;
            }

            _producers[entry.ProducerId] = entry;
        }

        return at == body.Length;
    }
}
