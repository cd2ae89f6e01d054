namespace Freshet.Dashboard.Jobs;

/// <summary>One subtask of a vertex: counters since the attempt started, rates and time ratios over the last sampling interval.</summary>
/// <param name="Watermark">Event time (ms since the Unix epoch) of the last watermark the subtask processed, or null before the first.</param>
/// <param name="BusyRatio">Share of the interval spent processing, 0 to 1.</param>
/// <param name="IdleRatio">Share of the interval spent waiting for input, 0 to 1.</param>
/// <param name="BackpressuredRatio">Share of the interval spent waiting for room in a full output queue, 0 to 1.</param>
/// <param name="Backpressure"><c>OK</c> up to 0.10, <c>LOW</c> up to 0.5, <c>HIGH</c> above (Flink's thresholds).</param>
/// <param name="InputQueueLength">Batches waiting in the subtask's input queues.</param>
internal sealed record SubtaskMetricsResponse(
    int Subtask,
    long RecordsIn,
    long RecordsOut,
    double RecordsInPerSecond,
    double RecordsOutPerSecond,
    long? Watermark,
    double BusyRatio,
    double IdleRatio,
    double BackpressuredRatio,
    string Backpressure,
    int InputQueueLength);
