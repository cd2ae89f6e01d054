using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Exchange;

/// <summary>Creates exchange writers and their routers for the planner.</summary>
internal static class ExchangeWriters
{
    /// <summary>An exchange writer into <paramref name="gates"/> (all of element type <typeparamref name="TGate"/>).</summary>
    public static OperatorBase Create<TIn, TGate, TConverter>(OperatorSetup setup, IInputGate[] gates, int channel, Router<TIn> router)
        where TConverter : struct, IElementConverter<TIn, TGate>
    {
        var typed = new InputGate<TGate>[gates.Length];
        for (var i = 0; i < gates.Length; i++)
        {
            typed[i] = (InputGate<TGate>)gates[i];
        }

        return new ExchangeWriter<TIn, TGate, TConverter>(setup, typed, channel, router);
    }
}

/// <summary>Chooses the router of an exchange from the edge's partitioning.</summary>
internal static class Routers
{
    /// <summary>
    /// The router of an edge into a node with several inputs (union, connect): by key for keyed edges; otherwise
    /// subtask i to subtask i when both sides have the same parallelism (so a broadcast or forward upstream keeps its
    /// meaning), round robin when they differ.
    /// </summary>
    /// <param name="senderSubtask">The sending subtask's index within its own operator.</param>
    public static Router<T> ForMultiInputEdge<T>(InputPartitioning partitioning, Func<int, int, Router<T>>? keyRouter, int senderParallelism, int parallelism, int maxParallelism, int senderSubtask, int channel) =>
        partitioning == InputPartitioning.Hash && keyRouter is not null ? keyRouter(parallelism, maxParallelism)
        : senderParallelism == parallelism ? new FixedTargetRouter<T>(senderSubtask)
        : new RebalanceRouter<T>(parallelism, channel);

    /// <param name="keyRouter">For <see cref="InputPartitioning.Hash"/>: (parallelism, max parallelism) → router.</param>
    /// <param name="parallelism">The receiving node's parallelism.</param>
    /// <param name="channel">The sender's channel (seeds round robin so senders do not all start at subtask 0).</param>
    public static Router<T> For<T>(InputPartitioning partitioning, Func<int, int, Router<T>>? keyRouter, int parallelism, int maxParallelism, int channel) => partitioning switch
    {
        InputPartitioning.Hash when keyRouter is not null => keyRouter(parallelism, maxParallelism),
        InputPartitioning.Broadcast => new BroadcastRouter<T>(),
        _ => new RebalanceRouter<T>(parallelism, channel),
    };
}
