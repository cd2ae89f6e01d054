namespace Freshet.Log.Segments;

/// <summary>
/// One time index entry: every record at or before offset <c>segment base + RelativeOffset</c>
/// has a timestamp of at most <c>Timestamp</c> (milliseconds since the Unix epoch).
/// </summary>
internal readonly record struct TimeIndexEntry(long Timestamp, int RelativeOffset);
