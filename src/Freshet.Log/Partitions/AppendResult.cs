namespace Freshet.Log.Partitions;

/// <summary>
/// What an append stored. <see cref="IsDurable"/> is true when the bytes were fsynced before the
/// call returned (always under <c>FlushPolicy.EveryAppend</c>); otherwise they survive a process
/// kill but not a power loss until the next flush. <see cref="IsDuplicate"/> is true when an
/// idempotent producer re-sent a batch that is already stored: nothing was written and the offsets
/// are those of the original.
/// </summary>
/// <param name="BaseOffset">Offset of the first record appended.</param>
/// <param name="LastOffset">Offset of the last record appended.</param>
/// <param name="LogAppendTimeMs">Wall-clock time of the append, milliseconds since the Unix epoch.</param>
/// <param name="LogStartOffset">The partition's <c>LogStartOffset</c> after the append.</param>
/// <param name="IsDurable">Whether the data was on stable storage when the call returned.</param>
/// <param name="IsDuplicate">Whether the batch was a recognised duplicate from an idempotent producer.</param>
public readonly record struct AppendResult(long BaseOffset, long LastOffset, long LogAppendTimeMs, long LogStartOffset, bool IsDurable, bool IsDuplicate)
{
    /// <summary>
    /// Whether the topic stamps batches with the append time (<c>message.timestamp.type=LogAppendTime</c>):
    /// then <see cref="LogAppendTimeMs"/> is every appended record's timestamp, as Kafka's Produce
    /// response reports it.
    /// </summary>
    public bool IsLogAppendTime { get; init; }
}
