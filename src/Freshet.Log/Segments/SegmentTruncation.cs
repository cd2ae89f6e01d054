namespace Freshet.Log.Segments;

/// <summary>What recovery dropped from the end of a segment file: <c>DroppedBytes</c> from byte <c>Position</c> on, and why.</summary>
public sealed record SegmentTruncation(string FilePath, long Position, long DroppedBytes, string Reason);
