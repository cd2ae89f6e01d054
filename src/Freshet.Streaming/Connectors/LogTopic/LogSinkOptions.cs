using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>How a sink to an embedded log topic writes (<see cref="LogTopicStreamExtensions.SinkToLogTopic{T}(DataStream{T}, Freshet.Log.LogStore, string, Func{T, ValueTuple{byte[], byte[]}}, LogSinkOptions?)"/>).</summary>
public sealed record LogSinkOptions
{
    /// <summary>
    /// <see cref="DeliveryGuarantee.AtLeastOnce"/> (default): records are appended as they arrive and flushed at each
    /// checkpoint. <see cref="DeliveryGuarantee.ExactlyOnce"/>: records are appended inside a log transaction per
    /// checkpoint, committed when the checkpoint completes; read_committed readers see each exactly once. Needs
    /// checkpointing.
    /// </summary>
    public DeliveryGuarantee DeliveryGuarantee { get; init; } = DeliveryGuarantee.AtLeastOnce;

    /// <summary>
    /// Prefix of the sink's transactional ids (<c>{prefix}-{subtask}-{n}</c>); must be unique per sink across the jobs
    /// writing to one log and stable across restarts. Default: the job name and the sink's uid.
    /// </summary>
    public string? TransactionalIdPrefix { get; init; }

    /// <summary>
    /// How long an open transaction may live before the log aborts it; must exceed the checkpoint interval plus the time
    /// to restart after a failure, or the records of a checkpoint that completed may be lost. Default 15 minutes.
    /// </summary>
    public TimeSpan TransactionTimeout { get; init; } = TimeSpan.FromMinutes(15);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TransactionTimeout, TimeSpan.FromMilliseconds(1), nameof(TransactionTimeout));
        if (TransactionalIdPrefix is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(TransactionalIdPrefix, nameof(TransactionalIdPrefix));
        }
    }
}
