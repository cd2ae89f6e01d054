namespace Freshet.Log.Segments;

/// <summary>
/// One validated batch of an append, with the offsets the log assigned to it.
/// <c>BufferPosition</c> and <c>Size</c> locate it in the caller's buffer (bytes).
/// </summary>
internal readonly record struct SegmentAppend(int BufferPosition, int Size, long BaseOffset, long LastOffset, long MaxTimestamp);
