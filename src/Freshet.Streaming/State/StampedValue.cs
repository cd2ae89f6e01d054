namespace Freshet.Streaming.State;

/// <summary>
/// A heap state value and the processing time (Unix ms) its time-to-live counts from. Without TTL the stamp is 0 and
/// unused.
/// </summary>
/// <param name="Value">The stored value.</param>
/// <param name="StampMs">When the value was last written (or read, with update on read).</param>
internal readonly record struct StampedValue<T>(T Value, long StampMs);
