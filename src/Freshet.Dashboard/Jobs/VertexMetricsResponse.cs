namespace Freshet.Dashboard.Jobs;

/// <summary>One vertex (a chain of operators run as one task per subtask), summed or extremes over its subtasks.</summary>
/// <param name="RecordsIn">Records received by all subtasks since the current attempt started.</param>
/// <param name="RecordsOut">Records emitted by all subtasks since the current attempt started.</param>
/// <param name="RecordsInPerSecond">Sum of the subtasks' input rates over the last sampling interval.</param>
/// <param name="RecordsOutPerSecond">Sum of the subtasks' output rates over the last sampling interval.</param>
/// <param name="Watermark">The lowest subtask watermark (event time, ms since the Unix epoch), or null while a subtask has none.</param>
/// <param name="MaxBusyRatio">The busiest subtask's share of the interval spent processing, 0 to 1.</param>
/// <param name="MaxBackpressuredRatio">The highest share of the interval a subtask waited for room downstream, 0 to 1.</param>
/// <param name="Backpressure">The level of <paramref name="MaxBackpressuredRatio"/>: <c>OK</c>, <c>LOW</c> or <c>HIGH</c> (Flink's thresholds).</param>
/// <param name="InputQueueLength">Batches waiting in the subtasks' input queues, summed.</param>
internal sealed record VertexMetricsResponse(
    int VertexId,
    string Name,
    int Parallelism,
    long RecordsIn,
    long RecordsOut,
    double RecordsInPerSecond,
    double RecordsOutPerSecond,
    long? Watermark,
    double MaxBusyRatio,
    double MaxBackpressuredRatio,
    string Backpressure,
    int InputQueueLength,
    IReadOnlyList<SubtaskMetricsResponse> Subtasks);
