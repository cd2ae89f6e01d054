namespace Freshet.Log.Compaction;

/// <summary>
/// State of one compaction pass over a partition: the key map, each idempotent producer's last batch,
/// the clock reading all decisions use, and counters. Not thread-safe: owned by one pass.
/// </summary>
internal sealed class CompactionPass(long deleteRetentionMs, long nowMs, long lastStableOffset, Dictionary<long, List<Transactions.AbortedTransaction>> abortedTransactions)
{
    /// <summary>The partition's <c>LastStableOffset</c> when the pass started: nothing at or above it is mapped or cleaned.</summary>
    public long LastStableOffset { get; } = lastStableOffset;

    /// <summary>Aborted transactions below <see cref="LastStableOffset"/>, by producer id: their batches never win a key and are removed.</summary>
    public Dictionary<long, List<Transactions.AbortedTransaction>> AbortedTransactions { get; } = abortedTransactions;

    /// <summary>Latest offset per key over the whole partition, the active segment included.</summary>
    public KeyOffsetMap Map { get; } = new();

    /// <summary>Producer id → last offset of that producer's last batch in the partition.</summary>
    public Dictionary<long, long> LastBatchOfProducer { get; } = [];

    /// <summary>The topic's <c>DeleteRetentionMs</c> when the pass started.</summary>
    public long DeleteRetentionMs { get; } = deleteRetentionMs;

    /// <summary>Wall-clock time of the pass, milliseconds since the Unix epoch.</summary>
    public long NowMs { get; } = nowMs;

    /// <summary>Records dropped so far.</summary>
    public long RecordsRemoved { get; set; }

    /// <summary>The earliest time (ms) at which a tombstone kept by this pass becomes droppable, or <see cref="long.MaxValue"/>.</summary>
    public long NextTombstoneExpiryMs { get; private set; } = long.MaxValue;

    /// <summary>Notes a kept tombstone with record timestamp <paramref name="timestampMs"/>.</summary>
    public void NoteKeptTombstone(long timestampMs)
    {
        var expiry = timestampMs > long.MaxValue - DeleteRetentionMs - 1 ? long.MaxValue : timestampMs + DeleteRetentionMs + 1;
        NextTombstoneExpiryMs = Math.Min(NextTombstoneExpiryMs, expiry);
    }
}
