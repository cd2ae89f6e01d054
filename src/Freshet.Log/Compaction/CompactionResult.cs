namespace Freshet.Log.Compaction;

/// <summary>What one compaction pass over a partition did.</summary>
/// <param name="Skipped">True when nothing changed since the previous pass (no append, roll, config change or tombstone expiry), so the log was not scanned.</param>
/// <param name="SegmentsRewritten">Sealed segments replaced by a compacted copy with the same base offset.</param>
/// <param name="SegmentsRemoved">Sealed segments removed because every batch in them was dropped.</param>
/// <param name="RecordsRemoved">Records dropped: superseded by a later record with the same key, or expired tombstones.</param>
/// <param name="BytesBefore">Size of the rewritten and removed segments before the pass, in bytes.</param>
/// <param name="BytesAfter">Size of their replacements, in bytes.</param>
internal readonly record struct CompactionResult(bool Skipped, int SegmentsRewritten, int SegmentsRemoved, long RecordsRemoved, long BytesBefore, long BytesAfter)
{
    /// <summary>A pass that had nothing to look at.</summary>
    public static CompactionResult NothingToDo { get; } = new(false, 0, 0, 0, 0, 0);

    /// <summary>A pass skipped because nothing changed since the last one.</summary>
    public static CompactionResult Unchanged { get; } = new(true, 0, 0, 0, 0, 0);
}
