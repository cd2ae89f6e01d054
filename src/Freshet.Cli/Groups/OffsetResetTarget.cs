namespace Freshet.Cli.Groups;

/// <summary>
/// What <c>freshet groups reset-offsets</c> moves a group's committed offsets to, as a pure decision per partition: given
/// the partition's positions, <see cref="Resolve"/> returns the new offset, always within [log start, log end] as
/// Kafka's <c>kafka-consumer-groups --reset-offsets</c> clamps it.
/// </summary>
internal abstract record OffsetResetTarget
{
    /// <summary>The new committed offset for one partition.</summary>
    /// <exception cref="Targets.CliException">The target needs a committed offset (a shift) and the partition has none.</exception>
    public abstract long Resolve(PartitionPositions positions);

    /// <summary>The option that chose this target, for messages.</summary>
    public abstract string Describe();

    /// <summary>The log start offset (<c>--to-earliest</c>).</summary>
    public sealed record Earliest : OffsetResetTarget
    {
        /// <inheritdoc/>
        public override long Resolve(PartitionPositions positions) => positions.LogStartOffset;

        /// <inheritdoc/>
        public override string Describe() => "--to-earliest";
    }

    /// <summary>The log end offset (<c>--to-latest</c>): the group skips every record there is now.</summary>
    public sealed record Latest : OffsetResetTarget
    {
        /// <inheritdoc/>
        public override long Resolve(PartitionPositions positions) => positions.LogEndOffset;

        /// <inheritdoc/>
        public override string Describe() => "--to-latest";
    }

    /// <summary>A given offset (<c>--to-offset N</c>), clamped to the log.</summary>
    public sealed record ToOffset(long Offset) : OffsetResetTarget
    {
        /// <inheritdoc/>
        public override long Resolve(PartitionPositions positions) => positions.Clamp(Offset);

        /// <inheritdoc/>
        public override string Describe() => "--to-offset";
    }

    /// <summary>The committed offset moved by <paramref name="Delta"/> records (<c>--shift-by N</c>, negative to re-read), clamped to the log.</summary>
    public sealed record ShiftBy(long Delta) : OffsetResetTarget
    {
        /// <inheritdoc/>
        public override long Resolve(PartitionPositions positions)
        {
            if (positions.CommittedOffset is not { } committed)
            {
                throw new Targets.CliException($"Cannot shift the offset of {positions.Partition}: the group has no committed offset there.");
            }

            // Saturating: a shift of long.MinValue from a small offset must clamp to the log start, not wrap.
            var shifted = Delta >= 0
                ? (committed > long.MaxValue - Delta ? long.MaxValue : committed + Delta)
                : (committed < long.MinValue - Delta ? long.MinValue : committed + Delta);
            return positions.Clamp(shifted);
        }

        /// <inheritdoc/>
        public override string Describe() => "--shift-by";
    }

    /// <summary>
    /// The first record with a timestamp at or after <paramref name="Time"/> (<c>--to-datetime</c>), found with
    /// ListOffsets; the log end when no record is that recent, as in Kafka.
    /// </summary>
    public sealed record ToDateTime(DateTimeOffset Time) : OffsetResetTarget
    {
        /// <summary>The timestamp to look up, in milliseconds since the Unix epoch.</summary>
        public long TimestampMs => Time.ToUnixTimeMilliseconds();

        /// <inheritdoc/>
        public override long Resolve(PartitionPositions positions) =>
            positions.OffsetForTimestamp is { } found and >= 0 ? positions.Clamp(found) : positions.LogEndOffset;

        /// <inheritdoc/>
        public override string Describe() => "--to-datetime";
    }
}
