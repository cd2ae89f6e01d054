using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>How a changelog join keeps its state. Immutable.</summary>
/// <typeparam name="TLeft">The left row type.</typeparam>
/// <typeparam name="TRight">The right row type.</typeparam>
public sealed record ChangelogJoinOptions<TLeft, TRight>
{
    /// <summary>How the RocksDB backend and checkpoints serialize left rows (they are the keys of the left state map);
    /// null uses <c>Serializers.Default</c>. It must write equal rows as equal bytes.</summary>
    public ISerializer<TLeft>? LeftSerializer { get; init; }

    /// <summary>How the RocksDB backend and checkpoints serialize right rows; null uses <c>Serializers.Default</c>.
    /// It must write equal rows as equal bytes.</summary>
    public ISerializer<TRight>? RightSerializer { get; init; }

    /// <summary>
    /// How long a stored row lives after its last update (processing time); null keeps rows until they are withdrawn
    /// (the default, and the only setting under which the result is exact). An expired row leaves the state without
    /// any output: rows of the other side arriving later no longer join it, its later withdrawal finds no partner to
    /// withdraw from, and an outer row that expired is never padded again (docs/table-joins.md, "State time-to-live").
    /// </summary>
    public StateTtlConfig? StateTtl { get; init; }
}
