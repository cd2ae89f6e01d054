using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Metrics;

/// <summary>
/// What <see cref="StreamingMetrics"/> reads of a running job when a listener collects. Implementations must be
/// thread-safe: they are read from collection threads while the job runs.
/// </summary>
internal interface IJobMetricsSource
{
    string JobName { get; }

    /// <summary>The live counters of the current attempt's reported operator subtasks; a new list after a restart.</summary>
    IReadOnlyList<OperatorMetricsCounter> OperatorCounters { get; }

    /// <summary>The live counters of the current attempt's tasks (one per vertex subtask); a new list after a restart.</summary>
    IReadOnlyList<TaskMetricsCounter> TaskCounters { get; }

    /// <summary>Bytes of state files per operator uid of the newest completed checkpoint or savepoint, over all attempts; empty before the first.</summary>
    IReadOnlyDictionary<string, long> LatestStateBytesByOperator { get; }

    /// <summary>Checkpoint counts over all attempts.</summary>
    CheckpointStatistics CheckpointStatistics { get; }

    /// <summary>Restarts after a failure so far.</summary>
    int Restarts { get; }

    /// <summary>The job's processing-time clock (<see cref="StreamEnvironmentOptions.Clock"/>), against which watermark lag is measured.</summary>
    TimeProvider Clock { get; }
}
