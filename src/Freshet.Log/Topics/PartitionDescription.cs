namespace Freshet.Log.Topics;

/// <summary>A partition's positions and size at the time it was described.</summary>
/// <param name="Id">Partition number.</param>
/// <param name="LogStartOffset">First offset still stored.</param>
/// <param name="HighWatermark">Offset below which records are readable.</param>
/// <param name="LogEndOffset">Offset the next appended record will get.</param>
/// <param name="SizeBytes">Bytes of all its segment files.</param>
/// <param name="SegmentCount">Number of segments.</param>
public sealed record PartitionDescription(int Id, long LogStartOffset, long HighWatermark, long LogEndOffset, long SizeBytes, int SegmentCount);
