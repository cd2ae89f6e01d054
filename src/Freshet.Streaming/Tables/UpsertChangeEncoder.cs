namespace Freshet.Streaming.Tables;

/// <summary>
/// Turns a changelog into upsert messages for one sink subtask (Flink's upsert-kafka sink, with its update-before
/// handling): <c>+I</c> and <c>+U</c> become the key and the new value, <c>-D</c> the key and a tombstone. A
/// <c>-U</c> is the delete of its key unless a <c>+I</c>/<c>+U</c> of the same key follows before the next
/// <see cref="TakePendingDeletes"/> (the sink calls it at each barrier and at end of input): until then it is held per
/// key, and an addition of the key drops it. So an update, whose <c>-U</c>/<c>+U</c> pair never straddles a barrier,
/// writes only its new value, and a row that leaves a table through a <c>-U</c> alone (a filtered update) is deleted.
/// <para>
/// Invariant: every message of a key is written in the order of its changes; a held delete is the key's latest change
/// when it is written, because any later change of the key either drops it (an addition) or replaces it (a delete).
/// Keys compare by content. Not thread-safe: the sink's task thread only.
/// </para>
/// </summary>
internal sealed class UpsertChangeEncoder<T>
{
    private readonly Func<T, byte[]?> _keySerializer;
    private readonly Func<T, byte[]?> _valueSerializer;

    /// <summary>Held deletes: key → event time of its <c>-U</c>.</summary>
    private readonly Dictionary<byte[], long> _pendingDeletes = new(ByteContentComparer.Instance);

    private UpsertMessage[] _messages = new UpsertMessage[64];
    private long[] _timestamps = new long[64];
    private int _count;

    public UpsertChangeEncoder(Func<T, byte[]?> keySerializer, Func<T, byte[]?> valueSerializer)
    {
        _keySerializer = keySerializer;
        _valueSerializer = valueSerializer;
    }

    /// <summary>The messages of the last <see cref="Encode"/> or <see cref="TakePendingDeletes"/>; valid until the next call.</summary>
    public ReadOnlySpan<UpsertMessage> Messages => _messages.AsSpan(0, _count);

    /// <summary>Their event times, as <see cref="Messages"/>.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, _count);

    /// <summary>Whether deletes are held.</summary>
    public bool HasPendingDeletes => _pendingDeletes.Count > 0;

    /// <summary>Encodes a batch of changes into <see cref="Messages"/> (update-befores are held, not encoded).</summary>
    /// <exception cref="InvalidDataException">A row's key serializes to null: an upsert sink needs a key for every row.</exception>
    public void Encode(ReadOnlySpan<Tables.Change<T>> changes, ReadOnlySpan<long> timestamps)
    {
        _count = 0;
        EnsureCapacity(changes.Length);
        for (var i = 0; i < changes.Length; i++)
        {
            var change = changes[i];
            var key = _keySerializer(change.Row) ?? throw new InvalidDataException($"The key of {change} serialized to null: an upsert sink needs a key for every row.");
            switch (change.Kind)
            {
                case RowKind.UpdateBefore:
                    _pendingDeletes[key] = timestamps[i];
                    break;
                case RowKind.Delete:
                    _pendingDeletes.Remove(key);
                    Add(new UpsertMessage(key, null), timestamps[i]);
                    break;
                default:
                    if (_pendingDeletes.Count > 0)
                    {
                        _pendingDeletes.Remove(key);
                    }

                    Add(new UpsertMessage(key, _valueSerializer(change.Row)), timestamps[i]);
                    break;
            }
        }
    }

    /// <summary>Moves every held delete into <see cref="Messages"/> as a tombstone (at a barrier or end of input).</summary>
    public void TakePendingDeletes()
    {
        _count = 0;
        EnsureCapacity(_pendingDeletes.Count);
        foreach (var (key, timestamp) in _pendingDeletes)
        {
            Add(new UpsertMessage(key, null), timestamp);
        }

        _pendingDeletes.Clear();
    }

    private void Add(UpsertMessage message, long timestamp)
    {
        _messages[_count] = message;
        _timestamps[_count] = timestamp;
        _count++;
    }

    private void EnsureCapacity(int count)
    {
        if (_messages.Length < count)
        {
            var size = Math.Max(count, _messages.Length * 2);
            _messages = new UpsertMessage[size];
            _timestamps = new long[size];
        }
    }

    /// <summary>Byte arrays equal by content (keys of held deletes).</summary>
    private sealed class ByteContentComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteContentComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = default(HashCode);
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
