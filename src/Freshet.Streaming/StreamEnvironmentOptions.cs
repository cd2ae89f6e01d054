using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Streaming;

/// <summary>Settings of a <see cref="StreamEnvironment"/> (Flink's execution config).</summary>
public sealed record StreamEnvironmentOptions
{
    /// <summary>Default number of subtasks of each operator; default: the number of processors.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Number of key groups = the largest parallelism keyed state can be rescaled to; default 128.</summary>
    public int MaxParallelism { get; init; } = 128;

    /// <summary>Records per batch between and within tasks; default 1024.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Longest time a record waits in a partly filled batch before it is sent to another task; default 100 ms.</summary>
    public TimeSpan BufferTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches each channel between two subtasks holds before the sender blocks (backpressure); default 4.</summary>
    public int ChannelCapacity { get; init; } = 4;

    /// <summary>The processing-time clock (timers, idleness, rates); inject a fake one for deterministic tests.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where keyed state of process functions lives: <see cref="State.StateBackend.Heap"/> (default) or <see cref="State.StateBackend.RocksDb"/>.</summary>
    public State.StateBackend StateBackend { get; init; } = State.StateBackend.Heap;

    /// <summary>Periodic checkpoints and restarts; null (default) runs without checkpoints, and a failure fails the job.</summary>
    public CheckpointingOptions? Checkpointing { get; init; }

    /// <summary>
    /// A savepoint (or retained checkpoint) directory to start the job from (Flink's <c>-s</c>). When the checkpoint
    /// directory already holds a newer complete checkpoint (the job ran from this savepoint and checkpointed since),
    /// that checkpoint is used instead.
    /// </summary>
    public string? RestoreFromSavepoint { get; init; }

    /// <summary>Whether a restore may drop the state of operators (by uid) that no longer exist in the job; default false (the restore fails).</summary>
    public bool AllowNonRestoredState { get; init; }

    /// <summary>
    /// Application mode: run the job as one instance of a Kafka Streams–style application whose instances share its
    /// tasks through a Kafka group (see <see cref="ApplicationOptions"/>); null (default) runs the whole job here.
    /// </summary>
    public ApplicationOptions? Application { get; init; }

    /// <summary>
    /// Where the job's log events go (job start and stop, task failures, restarts with their cause, checkpoint
    /// failures and slow checkpoints, application mode's rebalances; see docs/operations.md); null (default) logs
    /// nothing. Nothing is logged per record.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary><see cref="LoggerFactory"/>, or the factory that discards everything.</summary>
    internal ILoggerFactory LoggerFactoryOrNull => LoggerFactory ?? NullLoggerFactory.Instance;

    /// <summary>Set by application mode for the run of one application task: the task's producer (see <see cref="Operators.OperatorSetup.TaskProducer"/>).</summary>
    internal Confluent.Kafka.IProducer<byte[]?, byte[]?>? TaskProducer { get; init; }

    /// <summary>Set when the job starts: the registry its queryable states are published to (see <see cref="Jobs.JobHandle.GetQueryableTable"/>).</summary>
    internal Queryable.QueryableStateRegistry? QueryableStates { get; init; }

    /// <summary>Set by application mode for the run of one application task: its partition and the partition count, the task's part of a queryable table.</summary>
    internal (int Index, int Count)? QueryablePart { get; init; }

    internal void Validate()
    {
        Application?.Validate();
        Checkpointing?.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelism, 1, nameof(MaxParallelism));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxParallelism, 32768, nameof(MaxParallelism));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Parallelism, MaxParallelism, nameof(Parallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChannelCapacity, 1, nameof(ChannelCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(BufferTimeout, TimeSpan.Zero, nameof(BufferTimeout));
        ArgumentNullException.ThrowIfNull(Clock, nameof(Clock));
    }
}
