using Freshet.Streaming.Checkpoints;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// The state of one <see cref="RocksDbStateStore"/> pinned by <see cref="RocksDbStateSnapshot.Capture"/>: a RocksDB
/// snapshot, the column families that existed at capture and a lease that keeps the database open. Later writes,
/// deletes and new states of the task are not visible in it.
/// <para>Thread-safety: <see cref="Serialize"/> may run on any thread while the task thread keeps using the store (the
/// asynchronous phase of a checkpoint); <see cref="Dispose"/> must not overlap a running <see cref="Serialize"/> — the
/// owner of the checkpoint disposes it after serializing, or instead of serializing when the checkpoint is aborted.
/// Dispose releases the RocksDB snapshot (until then RocksDB keeps every version the snapshot can see, so compaction
/// cannot drop overwritten values) and the lease; if the task disposed the store meanwhile, that closes it.</para>
/// </summary>
internal sealed class RocksDbCapturedState : IDisposable
{
    private readonly RocksDbStateStore _store;
    private readonly (string Name, ColumnFamilyHandle ColumnFamily)[] _states;
    private readonly Snapshot _snapshot;
    private int _disposed;

    /// <summary>Takes ownership of <paramref name="snapshot"/> and of one lease on <paramref name="store"/>.</summary>
    internal RocksDbCapturedState(RocksDbStateStore store, (string Name, ColumnFamilyHandle ColumnFamily)[] states, Snapshot snapshot)
    {
        _store = store;
        _states = states;
        _snapshot = snapshot;
    }

    /// <summary>The states (column families) captured, in ordinal order of their names.</summary>
    public IEnumerable<string> StateNames => _states.Select(static state => state.Name);

    /// <summary>
    /// Asynchronous phase: each captured state as a <see cref="KeyGroupedStateSnapshot"/> (format in
    /// <see cref="RocksDbStateSnapshot"/>), one per state in the order of <see cref="StateNames"/>, empty states included
    /// (9 bytes). The sum of the lengths is the checkpoint's state size. <paramref name="maxParallelism"/> must be the
    /// one the stored keys were written with; a stored key group outside it throws
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public IReadOnlyList<(string StateName, byte[] Bytes)> Serialize(int maxParallelism)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var result = new List<(string, byte[])>(_states.Length);
        foreach (var (name, columnFamily) in _states)
        {
            var writer = new KeyGroupedStateWriter(maxParallelism, 64 << 10);
            using (var iterator = _store.NewIterator(columnFamily, _snapshot, fillCache: false))
            {
                // Bytewise key order is key-group order: the big-endian group prefix comes first.
                for (iterator.SeekToFirst(); iterator.Valid(); iterator.Next())
                {
                    var storedKey = iterator.GetKeySpan();
                    var keyGroup = RocksDbStateStore.KeyGroupOf(storedKey);
                    if (keyGroup >= maxParallelism)
                    {
                        throw new InvalidOperationException($"State '{name}' holds key group {keyGroup}, outside the {maxParallelism} key groups of the snapshot; it was written with another max parallelism.");
                    }

                    writer.Add(keyGroup, storedKey[RocksDbStateStore.KeyGroupPrefixBytes..], iterator.GetValueSpan());
                }
            }

            result.Add((name, writer.ToArray()));
        }

        return result;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _snapshot.Dispose();
        _store.ReleaseLease();
    }
}
