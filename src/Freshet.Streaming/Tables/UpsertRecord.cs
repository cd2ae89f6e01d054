namespace Freshet.Streaming.Tables;

/// <summary>
/// One record of an upsert stream as the normaliser reads it: the new value of <see cref="Key"/>, or, when
/// <see cref="HasValue"/> is false (a tombstone), its removal. Immutable.
/// </summary>
internal readonly record struct UpsertRecord<TKey, TValue>(TKey Key, bool HasValue, TValue Value);
