namespace Freshet.Streaming.Tables;

/// <summary>What an upsert sink writes for one key: its key bytes and its new value bytes, or null for a tombstone. Immutable.</summary>
internal readonly record struct UpsertMessage(byte[] Key, byte[]? Value);
