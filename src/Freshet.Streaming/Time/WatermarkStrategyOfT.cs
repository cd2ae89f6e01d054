namespace Freshet.Streaming.Time;

/// <summary>
/// How a source gives records their event time and generates watermarks: a timestamp assigner, an
/// out-of-orderness bound, and an optional idleness timeout. Watermarks are generated per split (a log
/// partition; a generator or collection subtask is one split) and a subtask's watermark is the minimum over its
/// non-idle splits. Immutable; made by <see cref="WatermarkStrategy"/>.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class WatermarkStrategy<T>
{
    internal WatermarkStrategy(long maxOutOfOrdernessMs, Func<T, long, long>? timestampAssigner, long idlenessMs, bool drivenByReader = false)
    {
        MaxOutOfOrdernessMs = maxOutOfOrdernessMs;
        TimestampAssigner = timestampAssigner;
        IdlenessMs = idlenessMs;
        DrivenByReader = drivenByReader;
    }

    /// <summary>Out-of-orderness bound in ms; −1 when the strategy generates no watermarks.</summary>
    public long MaxOutOfOrdernessMs { get; }

    /// <summary>The idleness timeout in ms, 0 for none.</summary>
    public long IdlenessMs { get; }

    internal Func<T, long, long>? TimestampAssigner { get; }

    internal bool GeneratesWatermarks => MaxOutOfOrdernessMs >= 0;

    /// <summary>
    /// Whether the reader sets each split's watermark and idleness itself (<see cref="Sources.SourceOutput{T}.AdvanceSplitWatermark"/>)
    /// instead of the output deriving them from event times and an idleness timeout: for a reader whose input already
    /// carries watermarks, such as a repartition topic's markers.
    /// </summary>
    internal bool DrivenByReader { get; }

    /// <summary>
    /// Sets the event time of each record: <c>(record, recordTimestamp) =&gt; eventTimeMs</c>, where
    /// <c>recordTimestamp</c> is the source's own timestamp (a log record's timestamp) or <see cref="long.MinValue"/>.
    /// Without an assigner the source's own timestamp is used.
    /// </summary>
    public WatermarkStrategy<T> WithTimestampAssigner(Func<T, long, long> assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new WatermarkStrategy<T>(MaxOutOfOrdernessMs, assigner, IdlenessMs, DrivenByReader);
    }

    /// <summary>
    /// Marks a split idle when it has produced no record for <paramref name="timeout"/> (processing time), so that
    /// it stops holding back the watermark; it becomes active again with its next record.
    /// </summary>
    public WatermarkStrategy<T> WithIdleness(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return new WatermarkStrategy<T>(MaxOutOfOrdernessMs, TimestampAssigner, (long)timeout.TotalMilliseconds, DrivenByReader);
    }
}
