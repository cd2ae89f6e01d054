namespace Freshet.Log.Records;

/// <summary>
/// One header of a Kafka record: a UTF-8 key and an optional value. Kafka allows a null value
/// (encoded with length -1) but not a null key. Generated equality compares <see cref="Value"/> by
/// reference, not by content. An immutable value; thread-safe as long as the
/// caller does not mutate <see cref="Value"/>.
/// </summary>
/// <param name="Key">The header key; never null on the wire (the builder rejects a null key).</param>
/// <param name="Value">The header value; null is distinct from empty.</param>
public readonly record struct RecordHeader(string Key, byte[]? Value);
