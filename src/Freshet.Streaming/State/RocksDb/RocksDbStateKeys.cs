namespace Freshet.Streaming.State.RocksDb;

/// <summary>The stored key of the current key, or the error for state used outside a keyed call.</summary>
internal static class RocksDbStateKeys
{
    public static ReadOnlySpan<byte> Current<TKey>(KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys)
        where TKey : notnull =>
        key.IsSet ? keys.Serialize(key.Current) : throw new InvalidOperationException("Keyed state can only be used while a record or timer of a key is processed.");
}
