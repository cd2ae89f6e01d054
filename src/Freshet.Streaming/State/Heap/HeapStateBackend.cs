namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="StateBackend.Heap"/>: keyed state as objects in dictionaries on the managed heap
/// (<see cref="HeapKeyedStateBackend{TKey}"/>), checkpointed under <c>state:&lt;name&gt;</c>. Immutable; thread-safe.
/// </summary>
internal sealed class HeapStateBackend : StateBackend
{
    /// <summary>The prefix of a heap state's section: <c>state:&lt;name&gt;</c>.</summary>
    public const string SectionPrefix = "state:";

    /// <summary>The sections heap keyed state is checkpointed under.</summary>
    public static KeyedStateSections SectionFormat { get; } = new("heap", [SectionPrefix]);

    internal override KeyedStateSections Sections => SectionFormat;

    internal override bool KeepsStateAsObjects => true;

    internal override IKeyedStateBackend<TKey> CreateKeyedBackend<TKey>(KeyedStateBackendParameters<TKey> parameters) => new HeapKeyedStateBackend<TKey>(parameters);

    public override string ToString() => "heap";
}
