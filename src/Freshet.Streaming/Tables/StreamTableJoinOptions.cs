using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>How a stream–table join picks table versions and keeps its state. Immutable.</summary>
public sealed record StreamTableJoinOptions
{
    /// <summary>Which version of the table a record joins; default <see cref="TemporalJoinTime.ProcessingTime"/>.</summary>
    public TemporalJoinTime Time { get; init; } = TemporalJoinTime.ProcessingTime;

    /// <summary>
    /// How long the table's stored row (processing time) or versions and waiting stream records (event time) live
    /// after their last update, in processing time; null keeps them (the default). A record that finds its table row
    /// expired joins as if the key had no row; waiting records that expire are never emitted.
    /// </summary>
    public StateTtlConfig? StateTtl { get; init; }

    internal static StreamTableJoinOptions Default { get; } = new();

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
