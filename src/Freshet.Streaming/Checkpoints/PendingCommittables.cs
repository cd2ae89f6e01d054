using System.Buffers.Binary;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The committables of one transactional sink subtask that were pre-committed but not yet committed, by checkpoint id
/// (ascending). <see cref="TakeUpTo"/> gives the ones a completed checkpoint allows to commit (every id up to it:
/// a checkpoint completing implies the earlier ones' data is covered even if their own completion was aborted).
/// <see cref="Serialize"/> is what the subtask's snapshot stores. Not thread-safe: the sink's task thread only.
/// <para>Serialized form: version byte 1, big-endian int32 count, then per entry a big-endian int64 checkpoint id,
/// int32 length and the committable's bytes.</para>
/// </summary>
internal sealed class PendingCommittables
{
    private readonly SortedDictionary<long, byte[]> _pending = new();

    public int Count => _pending.Count;

    /// <summary>Records the committable pre-committed at the barrier of <paramref name="checkpointId"/>.</summary>
    public void Add(long checkpointId, byte[] committable)
    {
        ArgumentNullException.ThrowIfNull(committable);
        if (!_pending.TryAdd(checkpointId, committable))
        {
            throw new InvalidOperationException($"Checkpoint {checkpointId} already has a pre-committed transaction.");
        }
    }

    /// <summary>Removes and returns, oldest first, the committables of checkpoints up to <paramref name="completedCheckpointId"/>.</summary>
    public IReadOnlyList<byte[]> TakeUpTo(long completedCheckpointId)
    {
        var taken = new List<byte[]>();
        foreach (var (id, committable) in _pending)
        {
            if (id > completedCheckpointId)
            {
                break;
            }

            taken.Add(committable);
        }

        foreach (var id in _pending.Keys.Where(id => id <= completedCheckpointId).ToArray())
        {
            _pending.Remove(id);
        }

        return taken;
    }

    public byte[] Serialize()
    {
        var length = 5 + _pending.Values.Sum(c => 12 + c.Length);
        var bytes = new byte[length];
        bytes[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), _pending.Count);
        var at = 5;
        foreach (var (id, committable) in _pending)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at), id);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at + 8), committable.Length);
            committable.CopyTo(bytes, at + 12);
            at += 12 + committable.Length;
        }

        return bytes;
    }

    /// <summary>Decodes <see cref="Serialize"/>'s output; throws <see cref="InvalidDataException"/> on malformed input.</summary>
    public static PendingCommittables Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 5 || bytes[0] != 1)
        {
            throw new InvalidDataException("Not a pending-committables snapshot (version 1 expected).");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
        var result = new PendingCommittables();
        var at = 5;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - at < 12)
            {
                throw new InvalidDataException($"Pending-committables snapshot truncated at entry {i} of {count}.");
            }

            var id = BinaryPrimitives.ReadInt64BigEndian(bytes[at..]);
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes[(at + 8)..]);
            if (length < 0 || bytes.Length - at - 12 < length || !result._pending.TryAdd(id, bytes.Slice(at + 12, length).ToArray()))
            {
                throw new InvalidDataException($"Pending-committables snapshot entry {i} is malformed.");
            }

            at += 12 + length;
        }

        if (at != bytes.Length || count < 0)
        {
            throw new InvalidDataException("Pending-committables snapshot has trailing bytes.");
        }

        return result;
    }
}
