namespace Freshet.Bench.Engine;

/// <summary>Result of the tumbling query: count and sum of one key in one window.</summary>
internal readonly record struct WindowCount(long Key, long WindowEnd, long Count, long Sum);
