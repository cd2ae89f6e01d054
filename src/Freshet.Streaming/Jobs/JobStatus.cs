namespace Freshet.Streaming.Jobs;

/// <summary>The life cycle of a job, as in Flink.</summary>
public enum JobStatus
{
    /// <summary>Tasks are running.</summary>
    Running,

    /// <summary>Every task reached the end of its input: all results are out.</summary>
    Finished,

    /// <summary>A task failed and the restart strategy allows another attempt: waiting to run again from the latest checkpoint.</summary>
    Restarting,

    /// <summary>A task failed; see <see cref="JobHandle.Completion"/>.</summary>
    Failed,

    /// <summary>Cancellation was requested; tasks are stopping.</summary>
    Cancelling,

    /// <summary>Cancelled before finishing.</summary>
    Cancelled,
}
