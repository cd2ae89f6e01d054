using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.State;

/// <summary>
/// What a <see cref="StateBackend"/> needs to create the keyed state of one operator subtask
/// (<see cref="StateBackend.CreateKeyedBackend{TKey}"/>). Immutable once built.
/// </summary>
internal sealed class KeyedStateBackendParameters<TKey>
    where TKey : notnull
{
    /// <summary>The current key every state reads and writes.</summary>
    public required KeyContext<TKey> Key { get; init; }

    /// <summary>Encodes keys in snapshots and, on RocksDB, in stored keys.</summary>
    public ISerializer<TKey> KeySerializer { get; init; } = Serializers.Default<TKey>();

    /// <summary>
    /// The stable hash of a key (<see cref="KeyHash{TKey}"/> by default); a key's key group is
    /// <c>KeyGroups.Of(hash, MaxParallelism)</c>. A composite state key (a record key and a window) hashes as its
    /// record key, so its entries move with that key's group.
    /// </summary>
    public Func<TKey, int> KeyHash { get; init; } = StableKeyHash;

    /// <summary>The default <see cref="KeyHash"/>: <see cref="KeyHash{TKey}.Of"/>.</summary>
    public static Func<TKey, int> StableKeyHash { get; } = static key => KeyHash<TKey>.Of(key);

    /// <summary>Number of key groups of the job.</summary>
    public required int MaxParallelism { get; init; }

    /// <summary>The task's processing-time clock, which state time-to-live reads.</summary>
    public required ProcessingTimeService ProcessingTime { get; init; }

    /// <summary>The operator's name (RocksDB names its working database after it).</summary>
    public required string OperatorName { get; init; }

    /// <summary>
    /// The operator's stable id (<c>DataStream.Uid</c>, or the one derived from the job graph), unique in the job unlike
    /// its name; empty when the caller has none. Application mode names the operator's changelog topics after it.
    /// </summary>
    public string OperatorUid { get; init; } = "";

    /// <summary>The subtask's index.</summary>
    public required int SubtaskIndex { get; init; }

    /// <summary>The key group of <paramref name="key"/>.</summary>
    public int KeyGroupOf(TKey key) => KeyGroups.Of(KeyHash(key), MaxParallelism);
}
