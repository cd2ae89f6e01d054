namespace Freshet.Cli.Groups;

/// <summary>What the broker reported for one partition, the input of <see cref="OffsetResetTarget.Resolve"/>.</summary>
/// <param name="CommittedOffset">The group's committed offset; null when it has none.</param>
/// <param name="LogStartOffset">The earliest offset still in the log.</param>
/// <param name="LogEndOffset">The offset the next appended record gets.</param>
/// <param name="OffsetForTimestamp">For <see cref="OffsetResetTarget.ToDateTime"/>: the offset ListOffsets found for the timestamp (-1 for none); null otherwise.</param>
internal sealed record PartitionPositions(TopicPartitionId Partition, long? CommittedOffset, long LogStartOffset, long LogEndOffset, long? OffsetForTimestamp = null)
{
    /// <summary><paramref name="offset"/> moved into [<see cref="LogStartOffset"/>, <see cref="LogEndOffset"/>].</summary>
    public long Clamp(long offset) => Math.Min(Math.Max(offset, LogStartOffset), LogEndOffset);
}
