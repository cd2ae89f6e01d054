namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="ReducingState{T}"/> in RocksDB: one reduced value per key in a value state, folded on each add (one
/// read, one write). Task thread only.
/// </summary>
internal sealed class RocksDbReducingState<TKey, T>(RocksDbValueState<TKey, T> value, Func<T, T, T> reduce) : ReducingState<T>
    where TKey : notnull
{
    public override bool TryGet(out T result) => value.TryGetValue(out result);

    public override T Get() => TryGet(out var result) ? result : default!;

    public override void Add(T added) => value.Update(value.TryGetValue(out var current) ? reduce(current, added) : added);

    public override void Clear() => value.Clear();
}
