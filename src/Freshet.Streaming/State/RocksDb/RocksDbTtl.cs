using System.Buffers.Binary;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// Time-to-live for one RocksDB state (the semantics of <see cref="StateTtlConfig"/>, as on the heap). Each stamped
/// unit — a value, a map entry's value, a list element — is stored as a big-endian int64 stamp (processing time, Unix
/// ms, of its last write or, with update-on-read, read) followed by the serialized value; states without TTL store no
/// stamp. Expired units are never returned and are deleted when their key is accessed; each access also visits
/// <see cref="StateTtl.CleanupEntriesPerAccess"/> further entries of the state's column family in key order from a
/// cursor that wraps around (incremental cleanup), deleting or rewriting what expired, so keys never accessed again do
/// not keep their state. Task thread only.
/// </summary>
/// <param name="prune">What incremental cleanup does with one stored value of this state; default <see cref="PruneUnit"/>.</param>
internal sealed class RocksDbTtl(StateTtl ttl, RocksDbStateStore store, ColumnFamilyHandle columnFamily, RocksDbTtl.Pruner? prune = null)
{
    /// <summary>Bytes of the stamp in front of each stamped unit.</summary>
    public const int StampBytes = 8;

    private readonly Pruner _prune = prune ?? PruneUnit;
    private byte[]? _cursor;

    public bool UpdateOnRead => ttl.UpdateOnRead;

    /// <summary>What incremental cleanup does with one stored value: keep it (null), delete the entry, or replace it.</summary>
    public delegate byte[]? Pruner(RocksDbTtl ttl, byte[] stored, long now, out bool delete);

    /// <summary>Begins an access: runs one step of incremental cleanup and returns the time the access happens at.</summary>
    public long BeginAccess()
    {
        var now = ttl.Now;
        if (ttl.CleanupEntriesPerAccess > 0)
        {
            CleanupStep(now);
        }

        return now;
    }

    public bool IsExpired(ReadOnlySpan<byte> stamped, long now) => ttl.IsExpired(BinaryPrimitives.ReadInt64BigEndian(stamped), now);

    public static void WriteStamp(Span<byte> destination, long now) => BinaryPrimitives.WriteInt64BigEndian(destination, now);

    /// <summary>Incremental cleanup for states whose stored value is one stamped unit (value, reducing, aggregating, map entries).</summary>
    public static byte[]? PruneUnit(RocksDbTtl ttl, byte[] stored, long now, out bool delete)
    {
        delete = stored.Length < StampBytes || ttl.IsExpired(stored, now);
        return null;
    }

    private void CleanupStep(long now)
    {
        var deletes = new List<byte[]>();
        var rewrites = new List<(byte[] Key, byte[] Value)>();
        using (var iterator = store.NewIterator(columnFamily))
        {
            if (_cursor is null)
            {
                iterator.SeekToFirst();
            }
            else
            {
                iterator.Seek(_cursor);
                if (iterator.Valid() && iterator.GetKeySpan().SequenceEqual(_cursor))
                {
                    iterator.Next();
                }
            }

            var wrapped = _cursor is null;
            for (var visited = 0; visited < ttl.CleanupEntriesPerAccess; visited++)
            {
                if (!iterator.Valid())
                {
                    if (wrapped)
                    {
                        break;
                    }

                    // End of the column family: go on from its start, once per step.
                    wrapped = true;
                    iterator.SeekToFirst();
                    if (!iterator.Valid())
                    {
                        break;
                    }
                }

                var key = iterator.Key();
                _cursor = key;
                var replacement = _prune(this, iterator.Value(), now, out var delete);
                if (delete)
                {
                    deletes.Add(key);
                }
                else if (replacement is not null)
                {
                    rewrites.Add((key, replacement));
                }

                iterator.Next();
            }
        }

        foreach (var key in deletes)
        {
            store.Remove(columnFamily, key);
        }

        foreach (var (key, value) in rewrites)
        {
            store.Put(columnFamily, key, value);
        }
    }
}
