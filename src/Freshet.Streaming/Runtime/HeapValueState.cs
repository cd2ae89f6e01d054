using Freshet.Streaming.State;

namespace Freshet.Streaming.Runtime;

/// <summary>
/// <see cref="ValueState{T}"/> on the heap: a <c>Dictionary&lt;TKey, T&gt;</c> read and written at the current key.
/// Task thread only.
/// </summary>
internal sealed class HeapValueState<TKey, T> : ValueState<T>
    where TKey : notnull
{
    private readonly Dictionary<TKey, T> _values = [];
    private readonly KeyContext<TKey> _key;
    private readonly T _default;

    public HeapValueState(KeyContext<TKey> key, T defaultValue)
    {
        _key = key;
        _default = defaultValue;
    }

    public override bool HasValue => _values.ContainsKey(CurrentKey);

    public override T Value => _values.TryGetValue(CurrentKey, out var value) ? value : _default;

    /// <summary>Number of keys with a value.</summary>
    public int Count => _values.Count;

    public override void Update(T value) => _values[CurrentKey] = value;

    public override void Clear() => _values.Remove(CurrentKey);

    private TKey CurrentKey => _key.IsSet ? _key.Current : throw new InvalidOperationException("Keyed state can only be used while a record or timer of a key is processed.");
}
