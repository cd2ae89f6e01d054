using System.Buffers.Binary;
using System.Diagnostics;
using Freshet.Bench.Reporting;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.State.Heap;
using Freshet.Streaming.State.RocksDb;

namespace Freshet.Bench.Engine;

/// <summary>
/// Checkpoint and restore of N keys of value state (long key, long value) through the checkpoint storage — capture,
/// serialization grouped by key group, state file with CRC-32C, fsync, manifest by atomic rename; restore = load and
/// verify the checkpoint, decode every key group, insert into a fresh store — for the heap backend and for the RocksDB
/// backend (capture = RocksDB snapshot, serialize = scan under it; restore = open a fresh database and write the
/// entries in batches), each against a baseline in the same repetitions: dumping the same pairs as raw 16-byte
/// records to one fsynced file, and reading that file back into a Dictionary. Every side checks the restored key
/// count and value sum (outside the timed part).
/// </summary>
internal static class CheckpointStateBench
{
    private const int MaxParallelism = 128;

    public static Results Measure(int keys, int reps)
    {
        var root = Path.Combine(Path.GetTempPath(), "freshet-bench-chk-" + Guid.NewGuid().ToString("N"));
        try
        {
            var checkpoint = new Comparison($"checkpoint {keys:N0} keys, heap value state", "ms", "raw 16-byte dump + fsync");
            var restore = new Comparison($"restore {keys:N0} keys, heap value state", "ms", "raw file -> Dictionary");
            var rocksCheckpoint = new Comparison($"checkpoint {keys:N0} keys, RocksDB value state", "ms", "raw 16-byte dump + fsync");
            var rocksRestore = new Comparison($"restore {keys:N0} keys, RocksDB value state", "ms", "raw file -> Dictionary");
            var rocksSyncMs = new List<double>();
            var key = new KeyContext<long>();
            var store = new HeapValueStore<long, long>("sum", key, null);
            long expectedSum = 0;
            for (long k = 0; k < keys; k++)
            {
                key.Current = k;
                key.IsSet = true;
                store.Write(k * 3);
                expectedSum += k * 3;
            }

            using var rocks = new RocksDbStateStore(Path.Combine(root, "rocks-source"));
            FillRocks(rocks, keys);

            var entrySerializer = new StampedValueSerializer<long>(Serializers.Int64);
            for (var rep = 0; rep < reps + 1; rep++)
            {
                var storage = new CheckpointStorage(Path.Combine(root, "chk-" + rep), 1);
                GC.Collect();
                var started = Stopwatch.GetTimestamp();
                var captured = KeyGroupedStateSnapshot.Capture(store.SnapshotEntries(), MaxParallelism);
                var bytes = KeyGroupedStateSnapshot.Serialize(captured, MaxParallelism, Serializers.Int64, entrySerializer);
                var writer = storage.Begin(1);
                writer.WriteState("sum", 0, bytes);
                writer.Commit();
                var checkpointMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

                var rawPath = Path.Combine(root, "raw-" + rep + ".bin");
                GC.Collect();
                started = Stopwatch.GetTimestamp();
                var raw = new byte[16 * store.KeyCount];
                var at = 0;
                foreach (var (k, v) in store.SnapshotEntries())
                {
                    BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(at), k);
                    BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(at + 8), v.Value);
                    at += 16;
                }

                using (var file = new FileStream(rawPath, FileMode.CreateNew, FileAccess.Write))
                {
                    file.Write(raw);
                    file.Flush(flushToDisk: true);
                }

                var rawMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

                GC.Collect();
                started = Stopwatch.GetTimestamp();
                if (!storage.TryLoadLatest(out var loaded, out _) || !loaded!.TryReadState("sum", 0, out var state))
                {
                    throw new InvalidOperationException("The checkpoint just written did not load.");
                }

                var restoredKey = new KeyContext<long>();
                var restored = new HeapValueStore<long, long>("sum", restoredKey, null);
                KeyGroupedStateSnapshot.Restore(state, MaxParallelism, (0, MaxParallelism - 1), Serializers.Int64, entrySerializer, restored.RestoreEntry);
                var restoreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

                GC.Collect();
                started = Stopwatch.GetTimestamp();
                var rawBytes = File.ReadAllBytes(rawPath);
                var dictionary = new Dictionary<long, long>();
                for (var i = 0; i < rawBytes.Length; i += 16)
                {
                    dictionary[BinaryPrimitives.ReadInt64LittleEndian(rawBytes.AsSpan(i))] = BinaryPrimitives.ReadInt64LittleEndian(rawBytes.AsSpan(i + 8));
                }

                var rawRestoreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Check(restored, restoredKey, dictionary, keys, expectedSum);

                var (rocksCheckpointMs, rocksSync, rocksRestoreMs) = CheckpointAndRestoreRocks(rocks, Path.Combine(root, "rocks-" + rep), keys, expectedSum);
                if (rep == 0)
                {
                    continue; // warm-up
                }

                checkpoint.AddFreshet(checkpointMs);
                checkpoint.AddBaseline(rawMs);
                restore.AddFreshet(restoreMs);
                restore.AddBaseline(rawRestoreMs);
                rocksCheckpoint.AddFreshet(rocksCheckpointMs);
                rocksCheckpoint.AddBaseline(rawMs);
                rocksRestore.AddFreshet(rocksRestoreMs);
                rocksRestore.AddBaseline(rawRestoreMs);
                rocksSyncMs.Add(rocksSync);
            }

            return new Results(checkpoint, restore, rocksCheckpoint, rocksRestore, Median.Of(rocksSyncMs));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Heap and RocksDB checkpoint and restore, each paired with the same raw-file baseline samples;
    /// <paramref name="RocksDbSyncMedianMs"/> is the synchronous phase alone (RocksDB snapshot), the time the task stops.
    /// </summary>
    public sealed record Results(Comparison HeapCheckpoint, Comparison HeapRestore, Comparison RocksDbCheckpoint, Comparison RocksDbRestore, double RocksDbSyncMedianMs);

    private static void FillRocks(RocksDbStateStore store, int keys)
    {
        var key = new KeyContext<long> { IsSet = true };
        var state = new RocksDbValueState<long, long>(store, "sum", key, new RocksDbKeySerializer<long>(Serializers.Int64, MaxParallelism), Serializers.Int64, 0);
        for (long k = 0; k < keys; k++)
        {
            key.Current = k;
            state.Update(k * 3);
        }
    }

    /// <summary>
    /// One RocksDB checkpoint (capture, serialize, state file, manifest) and one restore of it into a fresh database
    /// (load and verify, open, write the key groups); returns the times in ms (the checkpoint's synchronous phase
    /// apart) and checks the restored state.
    /// </summary>
    private static (double CheckpointMs, double SyncMs, double RestoreMs) CheckpointAndRestoreRocks(RocksDbStateStore source, string directory, int keys, long expectedSum)
    {
        var storage = new CheckpointStorage(Path.Combine(directory, "chk"), 1);
        GC.Collect();
        var started = Stopwatch.GetTimestamp();
        var writer = storage.Begin(1);
        double syncMs;
        var syncStarted = Stopwatch.GetTimestamp();
        using (var captured = RocksDbStateSnapshot.Capture(source))
        {
            syncMs = Stopwatch.GetElapsedTime(syncStarted).TotalMilliseconds;
            foreach (var (stateName, bytes) in captured.Serialize(MaxParallelism))
            {
                writer.WriteState(stateName, 0, bytes);
            }
        }

        writer.Commit();
        var checkpointMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        GC.Collect();
        started = Stopwatch.GetTimestamp();
        if (!storage.TryLoadLatest(out var loaded, out _) || !loaded!.TryReadState("sum", 0, out var state))
        {
            throw new InvalidOperationException("The RocksDB checkpoint just written did not load.");
        }

        using var restored = new RocksDbStateStore(Path.Combine(directory, "restored"));
        var count = RocksDbStateSnapshot.Restore(restored, "sum", state, MaxParallelism, (0, MaxParallelism - 1));
        var restoreMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        long sum = 0, entries = 0;
        using (var snapshot = restored.CreateSnapshot())
        {
            restored.ReadEntries("sum", snapshot, (_, value) =>
            {
                sum += Serializers.Int64.Deserialize(value);
                entries++;
            });
        }

        var key = new KeyContext<long> { IsSet = true, Current = keys - 1 };
        var last = new RocksDbValueState<long, long>(restored, "sum", key, new RocksDbKeySerializer<long>(Serializers.Int64, MaxParallelism), Serializers.Int64, -1).Value;
        if (count != keys || entries != keys || sum != expectedSum || last != (keys - 1L) * 3)
        {
            throw new InvalidOperationException($"RocksDB restore check failed: {count} restored, {entries} read (sum {sum}), last {last}; expected {keys} (sum {expectedSum}).");
        }

        return (checkpointMs, syncMs, restoreMs);
    }

    private static void Check(HeapValueStore<long, long> restored, KeyContext<long> key, Dictionary<long, long> raw, int keys, long expectedSum)
    {
        long sum = 0, rawSum = 0;
        foreach (var (k, v) in restored.SnapshotEntries())
        {
            sum += v.Value;
        }

        foreach (var (_, v) in raw)
        {
            rawSum += v;
        }

        key.Current = keys - 1;
        key.IsSet = true;
        if (restored.KeyCount != keys || raw.Count != keys || sum != expectedSum || rawSum != expectedSum
            || !restored.TryRead(out var last) || last != (keys - 1L) * 3)
        {
            throw new InvalidOperationException($"Restore check failed: {restored.KeyCount} keys (sum {sum}), raw {raw.Count} (sum {rawSum}), expected {keys} (sum {expectedSum}).");
        }
    }
}
