namespace Freshet.Streaming.Jobs;

/// <summary>
/// Counters of one operator subtask at one moment (see <see cref="JobHandle.GetMetrics"/>).
/// </summary>
/// <param name="OperatorName">The operator's name (from <c>WithName</c> or its default, e.g. "Map").</param>
/// <param name="Subtask">Index of the subtask, 0-based.</param>
/// <param name="Parallelism">Number of subtasks of the operator.</param>
/// <param name="RecordsIn">Records received (for a source: 0).</param>
/// <param name="RecordsOut">Records emitted on the main output.</param>
/// <param name="CurrentWatermark">The last watermark the subtask processed (event time, ms); <see cref="long.MinValue"/> before the first.</param>
public sealed record OperatorMetrics(string OperatorName, int Subtask, int Parallelism, long RecordsIn, long RecordsOut, long CurrentWatermark);
