using System.Buffers.Binary;
using Freshet.Streaming.Checkpoints;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// Checkpoints of a <see cref="RocksDbStateStore"/> with RocksDB's own snapshot, in two phases as Flink's RocksDB
/// backend does: <see cref="Capture"/> on the task thread takes a RocksDB snapshot (O(1): it pins a sequence number,
/// nothing is copied), then <see cref="RocksDbCapturedState.Serialize"/> on the thread pool scans every column family
/// as of that snapshot while the task keeps reading and writing the live database.
/// <para>Format: one <see cref="KeyGroupedStateSnapshot"/> per state (column family), so a RocksDB snapshot is
/// redistributed by key group exactly like a heap one. Key = the stored key <b>without</b> its 2-byte key-group prefix
/// (the group header carries the group; for value and list state the key bytes are the serialized key, as in the heap
/// snapshot; for map state they are <c>int32 key length, key, user key</c>); entry = the stored value bytes, unchanged
/// (the state classes' own encoding: a value, a list as count + length-prefixed elements, one map value). The bytes are
/// those of the RocksDB state classes, not of the heap ones: a snapshot is restored into the backend that wrote it.</para>
/// <para>Restore writes the entries of a key-group range into a column family with <see cref="WriteBatch"/>es after
/// validating the whole input, so malformed input changes nothing.</para>
/// <para>Stateless; thread-safety as stated per method.</para>
/// </summary>
internal static class RocksDbStateSnapshot
{
    /// <summary>A restore writes its batch when it holds this many bytes of keys and values, bounding its memory.</summary>
    private const int RestoreBatchBytes = 4 << 20;

    /// <summary>
    /// Synchronous phase, on the task thread (it reads the store's column-family map): pins a RocksDB snapshot of every
    /// state (column family) of <paramref name="store"/> and a lease on the database. Dispose the result.
    /// </summary>
    public static RocksDbCapturedState Capture(RocksDbStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.AcquireLease();
        try
        {
            // Handles are resolved here: the serializing thread must not touch the map the task thread adds to.
            var names = store.StateNames.ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            var states = new (string Name, ColumnFamilyHandle ColumnFamily)[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                states[i] = (names[i], store.ColumnFamily(names[i]));
            }

            return new RocksDbCapturedState(store, states, store.CreateSnapshot());
        }
        catch
        {
            store.ReleaseLease();
            throw;
        }
    }

    /// <summary>
    /// Writes the entries of the key groups in <paramref name="keyGroupRange"/> (inclusive) of one state's snapshot
    /// (<paramref name="snapshot"/>, as produced by <see cref="RocksDbCapturedState.Serialize"/>) into the column
    /// family of <paramref name="stateName"/>, returning how many entries were written. A subtask at a new parallelism
    /// calls it once per old subtask's snapshot with its own range (<c>KeyGroups.RangeOf</c>). The input is validated
    /// in full before anything is written: malformed input throws <see cref="InvalidDataException"/> and writes
    /// nothing, as does a different max parallelism. Entries already present at the same keys are overwritten. Task
    /// thread (it may create the column family).
    /// </summary>
    public static long Restore(RocksDbStateStore store, string stateName, ReadOnlySpan<byte> snapshot, int maxParallelism, (int First, int Last) keyGroupRange)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParallelism);

        // The stored key-group prefix is two bytes.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxParallelism, ushort.MaxValue + 1);
        var expected = KeyGroupedStateSnapshot.RestoreRaw(snapshot, maxParallelism, keyGroupRange, visitor: null);
        if (expected == 0)
        {
            return 0;
        }

        var columnFamily = store.ColumnFamily(stateName);
        using var batch = new WriteBatch();
        var storedKey = new byte[256];
        var batchBytes = 0L;
        var restored = KeyGroupedStateSnapshot.RestoreRaw(snapshot, maxParallelism, keyGroupRange, (group, key, entry) =>
        {
            var length = RocksDbStateStore.KeyGroupPrefixBytes + key.Length;
            if (storedKey.Length < length)
            {
                storedKey = new byte[Math.Max(length, storedKey.Length * 2)];
            }

            BinaryPrimitives.WriteUInt16BigEndian(storedKey, (ushort)group);
            key.CopyTo(storedKey.AsSpan(RocksDbStateStore.KeyGroupPrefixBytes));
            batch.Put(storedKey.AsSpan(0, length), entry, columnFamily);
            batchBytes += length + entry.Length;
            if (batchBytes >= RestoreBatchBytes)
            {
                store.Write(batch);
                batch.Clear();
                batchBytes = 0;
            }
        });

        if (batchBytes > 0)
        {
            store.Write(batch);
        }

        return restored;
    }
}
