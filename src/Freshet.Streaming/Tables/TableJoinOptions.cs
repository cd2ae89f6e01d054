using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>How a join of tables (table–table, foreign-key, stream–table) keeps its state. Immutable.</summary>
public sealed record TableJoinOptions
{
    /// <summary>
    /// How long each stored value (a side's current row, the last emitted result, a subscription) lives after its
    /// last update, in processing time; null keeps them until the key is deleted (the default, and the only exact
    /// setting). An expired value is dropped without output, so a later change of the key may be joined as if that
    /// value had never existed (docs/table-joins.md, "State time-to-live").
    /// </summary>
    public StateTtlConfig? StateTtl { get; init; }

    internal static TableJoinOptions Default { get; } = new();

    /// <summary>Applies <see cref="StateTtl"/> to <paramref name="descriptor"/> and returns it.</summary>
    internal TDescriptor Configure<TDescriptor>(TDescriptor descriptor)
        where TDescriptor : StateDescriptor
    {
        if (StateTtl is { } ttl)
        {
            descriptor.EnableTimeToLive(ttl);
        }

        return descriptor;
    }
}
