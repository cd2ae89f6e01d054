namespace Freshet.Streaming.Sinks;

/// <summary>What a sink promises about each record after failures and restarts (Flink's <c>DeliveryGuarantee</c>).</summary>
public enum DeliveryGuarantee
{
    /// <summary>
    /// Records are written as they arrive and made durable at each checkpoint; after a restore the records since the
    /// last completed checkpoint are written again, so readers may see duplicates but never lose a record.
    /// </summary>
    AtLeastOnce,

    /// <summary>
    /// Records are written inside transactions that commit when their checkpoint completes; read_committed readers
    /// see each record exactly once, at the latest one checkpoint interval after it was produced. Needs checkpointing.
    /// </summary>
    ExactlyOnce,
}
