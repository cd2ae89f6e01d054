using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Exchange;

/// <summary>
/// The control element that may follow the records of a <see cref="StreamBatch{T}"/> in a channel
/// between tasks (its <em>trailer</em>). Control elements travel in the same queues as records, so
/// each is in order with the records sent before and after it.
/// </summary>
internal enum StreamElementKind : byte
{
    /// <summary>Records only.</summary>
    None = 0,

    /// <summary>The sender's watermark advanced to <see cref="StreamBatch{T}.TrailerValue"/> (event time, ms).</summary>
    Watermark = 1,

    /// <summary>The sender is idle: its watermark is left out of the receiver's minimum until it sends again.</summary>
    Idle = 2,

    /// <summary>The sender will send nothing more on this channel.</summary>
    EndOfInput = 3,

    /// <summary>
    /// An aligned checkpoint barrier (docs/checkpoints.md), <see cref="StreamBatch{T}.TrailerValue"/>
    /// = checkpoint id. The receiver stops reading the channel until the barrier has arrived on every channel,
    /// snapshots its operators (<see cref="ICheckpointedOperator"/>) and forwards the barrier.
    /// </summary>
    Barrier = 4,
}
