namespace Freshet.Streaming.Sinks;

/// <summary>Which subtask a <see cref="SinkWriter{T}"/> serves.</summary>
/// <param name="SubtaskIndex">0-based subtask index.</param>
/// <param name="Parallelism">Number of sink subtasks.</param>
public sealed record SinkContext(int SubtaskIndex, int Parallelism)
{
    /// <summary>The task's processing-time service (the job's injected clock; callbacks on the task thread); null outside a job.</summary>
    internal Time.ProcessingTimeService? ProcessingTime { get; init; }

    /// <summary>The sink's stable id (<c>DataStreamSink.Uid</c>), for names that must survive restarts (transactional ids).</summary>
    internal string OperatorUid { get; init; } = "sink";

    /// <summary>The job's name.</summary>
    internal string JobName { get; init; } = "job";

    /// <summary>Whether the job takes checkpoints (an exactly-once writer needs them).</summary>
    internal bool CheckpointingEnabled { get; init; }
}
