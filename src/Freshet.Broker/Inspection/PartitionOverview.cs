namespace Freshet.Broker.Inspection;

/// <summary>
/// One partition's positions and size as <see cref="KafkaBroker.DescribeTopics"/> saw them. Each field is read on its own
/// without stopping appends, so the values may come from moments a few appends apart; each one is a value the
/// partition really had. Invariant at any one moment: <c>LogStartOffset &lt;= LastStableOffset &lt;= LogEndOffset</c>.
/// Immutable; thread-safe.
/// </summary>
/// <param name="Partition">The partition number, from 0.</param>
/// <param name="LogStartOffset">The first offset still stored (an offset, in records).</param>
/// <param name="LogEndOffset">The offset the next appended record will get; on a single node also the high watermark.</param>
/// <param name="LastStableOffset">The offset below which every transaction is decided: read_committed consumers read up to here.</param>
/// <param name="SizeBytes">Bytes of all the partition's segment files (By).</param>
/// <param name="SegmentCount">Number of segments, the active one included.</param>
public sealed record PartitionOverview(int Partition, long LogStartOffset, long LogEndOffset, long LastStableOffset, long SizeBytes, int SegmentCount);
