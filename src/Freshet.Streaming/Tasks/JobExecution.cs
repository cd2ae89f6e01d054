using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Metrics;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;
using Microsoft.Extensions.Logging;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// A job across its attempts: plans and starts a <see cref="JobRun"/>, and when a run fails asks the restart strategy
/// whether and when to run again; each new attempt is planned afresh (new operators, readers and gates) and restored
/// from the newest complete checkpoint. Every failure is logged with the restart strategy's decision (restart after a
/// delay, or give up) and kept as <see cref="LastRestartCause"/>. The first attempt starts from the newest complete checkpoint of the job's
/// checkpoint directory (a restart after a crash) or from the savepoint the options name, whichever is newer.
/// Thread-safe: attempt changes under <c>_lock</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The cancellation source has no timer or wait handle in use; nothing to release.")]
internal sealed class JobExecution : IJobControl, IJobMetricsSource
{
    private readonly object _lock = new();
    private readonly IReadOnlyList<Transformation> _nodes;
    private readonly StreamEnvironmentOptions _options;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancelled = new();
    private readonly ILogger _logger;
    private JobRun _current;
    private int _restarts;
    private bool _restarting;
    private Exception? _lastRestartCause;
    private IDisposable? _metricsRegistration;
    private readonly CheckpointHistory _checkpointHistory;
    private readonly JobExceptionHistory _exceptionHistory;
    private JobGraphDescription? _jobGraph;

    /// <summary>Plans the first attempt; throws when the graph or the restore is invalid.</summary>
    public JobExecution(string jobName, IReadOnlyList<Transformation> nodes, StreamEnvironmentOptions options)
    {
        JobName = jobName;
        _nodes = nodes;
        _options = options;
        _logger = options.LoggerFactoryOrNull.CreateLogger(StreamingLog.JobCategory);
        _checkpointHistory = new CheckpointHistory(options.Clock);
        _exceptionHistory = new JobExceptionHistory(options.Clock);
        _current = PlanAttempt(first: true, statistics: null);
    }

    public string JobName { get; }

    public Task Completion => _completion.Task;

    /// <summary>The checkpoint or savepoint the current attempt started from; null when it started empty.</summary>
    public CheckpointRestore? RestoredFrom { get; private set; }

    /// <summary>The failure that caused the latest restart; null while the job has not restarted.</summary>
    public Exception? LastRestartCause
    {
        get
        {
            lock (_lock)
            {
                return _lastRestartCause;
            }
        }
    }

    public JobStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _restarting ? JobStatus.Restarting : _current.Status;
            }
        }
    }

    private JobRun Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public DateTimeOffset StartTime { get; private set; }

    public void Start()
    {
        StartTime = _options.Clock.GetUtcNow();
        _logger.JobStarted(JobName, _options.Parallelism, _current.TaskCount, RestoredFrom?.CheckpointId ?? 0);
        _metricsRegistration = StreamingMetrics.Register(this);
        StartAttempt(_current);
    }

    IReadOnlyList<OperatorMetricsCounter> IJobMetricsSource.OperatorCounters => Current.OperatorCounters;

    CheckpointStatistics IJobMetricsSource.CheckpointStatistics => Current.CheckpointStatistics;

    IReadOnlyList<TaskMetricsCounter> IJobMetricsSource.TaskCounters => Current.TaskCounters;

    IReadOnlyDictionary<string, long> IJobMetricsSource.LatestStateBytesByOperator => _checkpointHistory.LatestStateBytesByOperator;

    int IJobMetricsSource.Restarts
    {
        get
        {
            lock (_lock)
            {
                return _restarts;
            }
        }
    }

    TimeProvider IJobMetricsSource.Clock => _options.Clock;

    public IReadOnlyList<OperatorMetrics> GetMetrics() => Current.GetMetrics();

    /// <summary>Described once: the graph is the same for every attempt.</summary>
    public JobGraphDescription GetJobGraph() => _jobGraph ??= JobGraphDescriber.Describe(_nodes);

    public IReadOnlyList<TaskMetrics> GetTaskMetrics() => Current.GetTaskMetrics();

    public IReadOnlyList<CheckpointHistoryEntry> GetCheckpointHistory() => _checkpointHistory.Snapshot();

    public IReadOnlyList<JobExceptionEntry> GetExceptionHistory() => _exceptionHistory.Snapshot();

    public CheckpointMetrics GetCheckpointMetrics()
    {
        var statistics = Current.CheckpointStatistics;
        lock (_lock)
        {
            return new CheckpointMetrics(statistics.Completed, statistics.Failed, statistics.LastCompletedId, statistics.LastStateBytes, statistics.LastSyncMs, statistics.LastAsyncMs, _restarts);
        }
    }

    public Task<string> TriggerSavepointAsync(string directory) => Current.TriggerSavepointAsync(directory);

    public Task<string> StopWithSavepointAsync(string directory) => Current.StopWithSavepointAsync(directory);

    public void Cancel()
    {
        _cancelled.Cancel();
        Current.Cancel();
    }

    private void StartAttempt(JobRun run)
    {
        run.Start();
        run.Completion.ContinueWith(ended => OnAttemptEnded(run, ended), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnAttemptEnded(JobRun run, Task ended)
    {
        if (ended.IsCompletedSuccessfully)
        {
            Stopped(LogLevel.Information, "finished");
            _completion.TrySetResult();
            return;
        }

        if (ended.IsCanceled)
        {
            Stopped(LogLevel.Information, "cancelled");
            _completion.TrySetCanceled();
            return;
        }

        var failure = ended.Exception!.InnerException!;
        var strategy = _options.Checkpointing?.RestartStrategy;
        TimeSpan? delay;
        int restart;
        lock (_lock)
        {
            delay = _cancelled.IsCancellationRequested ? null : strategy?.DelayBeforeRestart(_restarts + 1);
            restart = _restarts + 1;
            if (delay is not null)
            {
                _restarts = restart;
                _restarting = true;
                _lastRestartCause = failure;
            }
        }

        _exceptionHistory.Add(failure, run.FailedTaskName, restarted: delay is not null);
        if (delay is null)
        {
            _logger.JobRestartsExhausted(failure, JobName, restart - 1, strategy?.ToString() ?? "no checkpointing, so no restarts");
            Stopped(LogLevel.Error, "failed");
            _completion.TrySetException(failure);
            return;
        }

        _logger.JobRestarting(failure, JobName, restart, (long)delay.Value.TotalMilliseconds, strategy!.ToString());
        _ = RestartAfterAsync(delay.Value, run.CheckpointStatistics);
    }

    private async Task RestartAfterAsync(TimeSpan delay, CheckpointStatistics statistics)
    {
        try
        {
            await Task.Delay(delay, _cancelled.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Stopped(LogLevel.Information, "cancelled");
            _completion.TrySetCanceled();
            return;
        }

        JobRun? next = null;
        Exception? planFailure = null;
        int restart;
        lock (_lock)
        {
            restart = _restarts;
            try
            {
                next = PlanAttempt(first: false, statistics);
                _current = next;
            }
#pragma warning disable CA1031 // Any planning or restore failure ends the job with that failure.
            catch (Exception e)
#pragma warning restore CA1031
            {
                planFailure = e;
            }

            _restarting = false;
        }

        if (next is null)
        {
            _exceptionHistory.Add(planFailure!, taskName: null, restarted: false);
            _logger.JobRestartFailed(planFailure!, JobName, restart);
            Stopped(LogLevel.Error, "failed");
            _completion.TrySetException(new JobExecutionException("Restarting the job from its latest checkpoint failed.", planFailure!));
            return;
        }

        StartAttempt(next);
        if (_cancelled.IsCancellationRequested)
        {
            next.Cancel();
        }
    }

    /// <summary>The job ended (called before <see cref="Completion"/> completes): stop reporting metrics and log the outcome.</summary>
    private void Stopped(LogLevel level, string outcome)
    {
        _metricsRegistration?.Dispose();
        int restarts;
        lock (_lock)
        {
            restarts = _restarts;
        }

        _logger.JobStopped(level, JobName, outcome, restarts);
    }

    private JobRun PlanAttempt(bool first, CheckpointStatistics? statistics)
    {
        var restore = ChooseRestore(first, out var restoreInfo);
        var run = ExecutionPlanner.Plan(JobName, _nodes, _options, restore, statistics, checkpointHistory: _checkpointHistory);
        RestoredFrom = restoreInfo;
        return run;
    }

    private CompletedCheckpoint? ChooseRestore(bool first, out CheckpointRestore? info)
    {
        CompletedCheckpoint? latest = null;
        IReadOnlyList<string> skipped = [];
        if (_options.Checkpointing is { } checkpointing)
        {
            new CheckpointStorage(checkpointing.Directory, checkpointing.RetainedCheckpoints).TryLoadLatest(out latest, out skipped);
        }

        if (first && _options.RestoreFromSavepoint is { } savepointDirectory)
        {
            if (!CheckpointStorage.TryLoad(savepointDirectory, out var savepoint, out var error))
            {
                throw new InvalidOperationException($"Cannot start from the savepoint in '{savepointDirectory}': {error}.");
            }

            if (latest is null || latest.CheckpointId <= savepoint!.CheckpointId)
            {
                info = new CheckpointRestore(savepoint!.CheckpointId, savepoint.Directory, IsSavepoint: true, skipped);
                return savepoint;
            }
        }

        info = latest is null ? null : new CheckpointRestore(latest.CheckpointId, latest.Directory, IsSavepoint: false, skipped);
        return latest;
    }
}
