using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Where the general window operator (<see cref="TriggerDrivenWindowOperator{TKey, TIn, TAcc, TOut}"/>) keeps what each
/// (key, window) has gathered: one keyed state named <see cref="StateName"/> in the job's <see cref="StateBackend"/>,
/// keyed by <see cref="WindowedKey{TKey}"/> whose key group is the record key's. On the heap that is a dictionary entry
/// per (key, window); in RocksDB one entry per (key, window) in the subtask's database, so window contents larger than
/// memory stay on disk. <see cref="AggregateWindowContents{TKey, TIn, TAcc}"/> keeps an accumulator (aggregate,
/// reduce); <see cref="ListWindowContents{TKey, TIn}"/> keeps the elements (a window function without
/// pre-aggregation; appends do not read the list back).
/// <para>
/// Usage: <see cref="Select"/> a (key, window), then read or change its contents. Checkpoints: the backend's section of
/// the state (<c>state:window-contents</c>, <c>rocksdb:window-contents</c>), restored by key group; a checkpoint of the
/// layout the operator wrote when it kept the contents in a dictionary of its own (section <c>window-contents</c>:
/// key → window, contents) is restored too, into either backend.
/// </para>
/// Owns its keyed state backend: dispose it with the operator. Task thread only.
/// </summary>
internal abstract class WindowContents<TKey, TIn, TAcc> : IDisposable
    where TKey : notnull
{
    /// <summary>The keyed state's name, and the section of the dictionary layout.</summary>
    public const string StateName = "window-contents";

    private readonly KeyContext<WindowedKey<TKey>> _key = new();

    protected WindowContents(OperatorSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Backend = setup.CreateKeyedStateBackend(_key, new WindowedKeySerializer<TKey>(Serializers.Default<TKey>()), static windowed => KeyHash<TKey>.Of(windowed.Key));
    }

    /// <summary>The sections the contents may have been checkpointed under, by any backend or in the dictionary layout.</summary>
    public static IEnumerable<string> Sections => [.. StateBackend.SectionsOfState(StateName), StateName];

    /// <summary>The (key, window) pairs holding contents (reads every key of the state: for tests and diagnostics).</summary>
    public int Count => Backend.GetKeys(StateName).Count();

    /// <summary>The keyed state holding the contents.</summary>
    internal IKeyedStateBackend<WindowedKey<TKey>> Backend { get; }

    /// <summary>Whether the selected (key, window) holds contents.</summary>
    public abstract bool HasContents { get; }

    /// <summary>Points the following calls at <paramref name="window"/> of <paramref name="key"/>.</summary>
    public void Select(TKey key, TimeWindow window)
    {
        _key.Current = new WindowedKey<TKey>(key, window);
        _key.IsSet = true;
    }

    /// <summary>Adds <paramref name="value"/> to the selected window's contents (created on first add).</summary>
    public abstract void Add(TIn value);

    /// <summary>The selected window's contents, if it has any.</summary>
    public abstract bool TryGet(out TAcc contents);

    /// <summary>Removes the selected window's contents.</summary>
    public abstract void Clear();

    /// <summary>
    /// Moves the contents of <paramref name="sources"/> (windows of <paramref name="key"/>) into
    /// <paramref name="target"/>, combined in the order of <paramref name="sources"/>: merging sessions.
    /// <paramref name="target"/> may be one of the sources; it holds nothing else.
    /// </summary>
    public abstract void Merge(TKey key, IReadOnlyList<TimeWindow> sources, TimeWindow target);

    /// <summary>Synchronous phase of a checkpoint; call the result exactly once.</summary>
    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> Snapshot() => Backend.Snapshot();

    /// <summary>Takes the contents of the key groups in <paramref name="keyGroupRange"/> from every old subtask's sections.</summary>
    public void Restore(RestoredOperatorState restored, (int First, int Last) keyGroupRange, int maxParallelism)
    {
        ArgumentNullException.ThrowIfNull(restored);
        Backend.Restore(restored, keyGroupRange);
        foreach (var bytes in restored.Section(StateName))
        {
            RestoreDictionaryLayout(bytes, maxParallelism, keyGroupRange);
        }

        _key.IsSet = false;
    }

    /// <summary>Releases the contents (deletes a RocksDB working database).</summary>
    public void Dispose()
    {
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Restores one old subtask's section in the dictionary layout: key → (window, contents through <c>Serializers.Default</c>).</summary>
    protected abstract void RestoreDictionaryLayout(byte[] section, int maxParallelism, (int First, int Last) keyGroupRange);
}
