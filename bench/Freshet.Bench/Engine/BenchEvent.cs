namespace Freshet.Bench.Engine;

/// <summary>The benchmark's event: 24 bytes, no references.</summary>
internal readonly record struct BenchEvent(long Key, long Value, long TimeMs);
