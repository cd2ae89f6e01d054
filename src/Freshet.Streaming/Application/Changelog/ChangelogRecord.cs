namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// One record of a state's changelog topic: the serialized key (the Kafka record key, the same bytes for equal keys so
/// compaction keeps only the newest) and the key's whole contents in <see cref="ChangelogValueFormat"/>, or null (a
/// tombstone) when the state holds nothing for the key. The arrays are owned by the record: not reused or changed.
/// </summary>
/// <param name="Key">The key's bytes, from the keyed backend's key serializer.</param>
/// <param name="Value">The contents, or null for a tombstone.</param>
internal readonly record struct ChangelogRecord(byte[] Key, byte[]? Value);
