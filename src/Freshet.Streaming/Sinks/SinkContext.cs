namespace Freshet.Streaming.Sinks;

/// <summary>Which subtask a <see cref="SinkWriter{T}"/> serves, and of which job.</summary>
/// <param name="SubtaskIndex">0-based subtask index.</param>
/// <param name="Parallelism">Number of sink subtasks.</param>
public sealed record SinkContext(int SubtaskIndex, int Parallelism)
{
    /// <summary>The task's processing-time service (the job's injected clock; callbacks on the task thread); null outside a job.</summary>
    internal Time.ProcessingTimeService? ProcessingTime { get; init; }

    /// <summary>In an application task: the task's producer, which Kafka sinks write through so the task's transaction covers their records; null otherwise.</summary>
    internal Confluent.Kafka.IProducer<byte[]?, byte[]?>? TaskProducer { get; init; }

    /// <summary>
    /// The sink's stable id (<see cref="DataStreamSink.Uid"/>, or one derived from the job graph), the same in every run
    /// of the job: with <see cref="JobName"/>, a base for names that must survive restarts (transactional ids).
    /// </summary>
    public string OperatorUid { get; init; } = "sink";

    /// <summary>The job's name (<see cref="StreamEnvironment.ExecuteAsync"/>).</summary>
    public string JobName { get; init; } = "job";

    /// <summary>The sink operator's counters, where a connector whose records are bytes adds the bytes it wrote; null outside a job.</summary>
    internal Operators.OperatorMetricsCounter? Metrics { get; init; }

    /// <summary>Whether the job takes checkpoints; a <see cref="TwoPhaseCommitSinkWriter{T}"/> needs them.</summary>
    public bool CheckpointingEnabled { get; init; }
}
