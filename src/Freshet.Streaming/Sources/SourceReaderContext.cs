using Freshet.Streaming.Time;

namespace Freshet.Streaming.Sources;

/// <summary>
/// What a <see cref="SourceReader{T}"/> knows about the subtask it reads for (Flink's <c>SourceReaderContext</c>):
/// given to <see cref="Source{T}.CreateReader"/>, once per source subtask each time the job starts or restarts.
/// Immutable apart from <see cref="CurrentProcessingTimeMs"/>, which reads the job's clock; thread-safe.
/// </summary>
public sealed class SourceReaderContext
{
    private readonly ProcessingTimeService _processingTime;

    internal SourceReaderContext(int subtaskIndex, int parallelism, bool checkpointingEnabled, ProcessingTimeService processingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(subtaskIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(subtaskIndex, parallelism);
        SubtaskIndex = subtaskIndex;
        Parallelism = parallelism;
        CheckpointingEnabled = checkpointingEnabled;
        _processingTime = processingTime;
    }

    /// <summary>The subtask this reader reads for, 0-based: <c>0 ≤ SubtaskIndex &lt; Parallelism</c>.</summary>
    public int SubtaskIndex { get; }

    /// <summary>Number of subtasks of the source; each has its own reader and owns its own splits (see <see cref="SplitAssignment"/>).</summary>
    public int Parallelism { get; }

    /// <summary>
    /// Whether the job takes checkpoints. A reader that commits its positions to an outside system (a consumer group,
    /// acknowledgements to a queue) then commits them only in <see cref="SourceReader{T}.NotifyCheckpointComplete"/>,
    /// so what the outside system holds is always the position of a completed checkpoint.
    /// </summary>
    public bool CheckpointingEnabled { get; }

    /// <summary>
    /// The job's processing time now, in milliseconds since the Unix epoch (<see cref="StreamEnvironmentOptions.Clock"/>,
    /// injectable for tests); for rate limits and discovery intervals. Not event time.
    /// </summary>
    public long CurrentProcessingTimeMs => _processingTime.Now;
}
