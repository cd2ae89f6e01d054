namespace Freshet.Streaming.Jobs;

/// <summary>
/// Counters of one task — one subtask of a <see cref="JobVertexDescription"/> — of the current attempt, at one moment
/// (see <see cref="JobHandle.GetTaskMetrics"/>). Times follow Flink's definitions and are cumulative since the task
/// started in the current attempt; their sum is the task's wall-clock time so far. Immutable.
/// </summary>
/// <param name="VertexId">The task's vertex (<see cref="JobVertexDescription.Id"/>).</param>
/// <param name="Subtask">Index of the subtask, 0-based.</param>
/// <param name="RecordsIn">Records the chain's first operator received from other tasks (0 for a source task).</param>
/// <param name="RecordsOut">Records the task sent to other tasks (its exchanges); 0 for a chain that ends in sinks only.</param>
/// <param name="CurrentWatermark">The last watermark the chain's first operator processed (for a source task, the source's); event time, ms since the Unix epoch; <see cref="long.MinValue"/> before the first, <see cref="long.MaxValue"/> after the end of input.</param>
/// <param name="BusyTime">Time the task thread spent neither idle nor backpressured: processing records, timers and checkpoints.</param>
/// <param name="IdleTime">Time the task thread waited for input (a source task: its reader had nothing to read).</param>
/// <param name="BackpressuredTime">Time the task thread waited for room in an output: a channel of a downstream task's input gate was full.</param>
/// <param name="InputQueueLength">Batches buffered in the task's input gate, over all its channels (0 for a source task).</param>
public sealed record TaskMetrics(int VertexId, int Subtask, long RecordsIn, long RecordsOut, long CurrentWatermark, TimeSpan BusyTime, TimeSpan IdleTime, TimeSpan BackpressuredTime, int InputQueueLength);
