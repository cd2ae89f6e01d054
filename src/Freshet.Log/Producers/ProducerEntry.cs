namespace Freshet.Log.Producers;

/// <summary>
/// What a partition remembers of one idempotent producer: its current epoch and the metadata of
/// its last <see cref="MaxCachedBatches"/> batches, newest last (Kafka keeps the same five, which
/// bounds a producer's in-flight requests). Not thread-safe: owned by the partition's append lock.
/// </summary>
internal sealed class ProducerEntry
{
    /// <summary>How many recent batches are remembered for duplicate detection.</summary>
    public const int MaxCachedBatches = 5;

    private readonly List<BatchMetadata> _batches = new(MaxCachedBatches);

    public ProducerEntry(long producerId, short epoch)
    {
        ProducerId = producerId;
        Epoch = epoch;
    }

    public long ProducerId { get; }

    public short Epoch { get; private set; }

    public long LastTimestampMs { get; private set; }

    /// <summary>
    /// Offset of this producer's first data batch in its open transaction on this partition, or -1
    /// when it has none. Set by the first transactional batch, cleared by the COMMIT or ABORT marker.
    /// </summary>
    public long TransactionFirstOffset { get; set; } = -1;

    public IReadOnlyList<BatchMetadata> Batches => _batches;

    /// <summary>Sequence of the last stored record, or -1 if none under this epoch.</summary>
    public int LastSequence => _batches.Count == 0 ? -1 : _batches[^1].LastSequence;

    public BatchMetadata? FindDuplicate(int firstSequence, int lastSequence)
    {
        foreach (var batch in _batches)
        {
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                return batch;
            }
        }

        return null;
    }

    /// <summary>
    /// A transaction marker written with <paramref name="epoch"/>: a newer epoch (the coordinator
    /// fenced an older instance) replaces the current one and forgets its batches.
    /// </summary>
    public void ApplyMarkerEpoch(short epoch)
    {
        if (epoch > Epoch)
        {
            Epoch = epoch;
            _batches.Clear();
        }

        TransactionFirstOffset = -1;
    }

    public void Add(short epoch, BatchMetadata batch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _batches.Clear();
        }

        if (_batches.Count == MaxCachedBatches)
        {
            _batches.RemoveAt(0);
        }

        _batches.Add(batch);
        LastTimestampMs = Math.Max(LastTimestampMs, batch.TimestampMs);
    }
}
