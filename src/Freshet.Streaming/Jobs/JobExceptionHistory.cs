namespace Freshet.Streaming.Jobs;

/// <summary>
/// The last <see cref="Capacity"/> failures that restarted or failed a job, for
/// <see cref="JobHandle.GetExceptionHistory"/>. Written once per failure. Thread-safe: one lock guards the entries.
/// </summary>
internal sealed class JobExceptionHistory
{
    /// <summary>How many failures are kept; older ones are dropped first.</summary>
    public const int Capacity = 20;

    private readonly object _lock = new();
    private readonly TimeProvider _clock;
    private readonly Queue<JobExceptionEntry> _entries = new();

    /// <param name="clock">The job's clock, on which failure times are read.</param>
    public JobExceptionHistory(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>
    /// Records <paramref name="failure"/>; a <see cref="JobExecutionException"/> naming an operator is recorded as the
    /// exception the operator threw.
    /// </summary>
    /// <param name="taskName">The task that failed, or null when the failure was not a task's.</param>
    /// <param name="restarted">Whether the job restarted after it (false: the job failed).</param>
    public void Add(Exception failure, string? taskName, bool restarted)
    {
        var cause = failure is JobExecutionException { OperatorName.Length: > 0, InnerException: { } thrown } ? thrown : failure;
        var entry = new JobExceptionEntry(_clock.GetUtcNow(), cause.GetType().FullName ?? cause.GetType().Name, cause.Message, cause.ToString(), taskName, restarted);
        lock (_lock)
        {
            _entries.Enqueue(entry);
            if (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }
        }
    }

    /// <summary>The kept failures, newest first.</summary>
    public IReadOnlyList<JobExceptionEntry> Snapshot()
    {
        lock (_lock)
        {
            var result = _entries.ToArray();
            Array.Reverse(result);
            return result;
        }
    }
}
