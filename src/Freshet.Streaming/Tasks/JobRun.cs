using System.Diagnostics;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Operators;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// One execution attempt of a plan: one dedicated thread per task, the attempt's status, and its completion.
/// The first task failure wins: every other task is cancelled and every gate woken, and <see cref="Completion"/>
/// faults with that failure once all threads have ended.
/// <para>
/// With checkpoints, the run owns the coordinator's I/O edge (<see cref="CheckpointCommandExecutor"/>) and a ticker
/// that feeds it the time: a trigger makes every source task inject a barrier; completion is queued to every task
/// (sinks commit). A bounded job finishes through a final checkpoint: once every source reached its end, a checkpoint
/// is requested at once, and only when a checkpoint triggered after that point completed may the sources finish.
/// Stop-with-savepoint makes the sources stop reading after the savepoint's barrier; once every task handled the
/// savepoint's completion the run stops and counts as finished.
/// </para>
/// Thread-safe: status changes under <c>_lock</c>; checkpoint callbacks run under the executor's lock.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The ticker is disposed when the run stops or completes; a run is not reused.")]
internal sealed class JobRun
{
    private readonly object _lock = new();
    private readonly IReadOnlyList<StreamTask> _tasks;
    private readonly IReadOnlyList<IInputGate> _gates;
    private readonly ISourceTaskControl[] _sources;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CheckpointCommandExecutor? _executor;
    private readonly ILogger _logger;
    private readonly long _tickerOriginTimestamp = Stopwatch.GetTimestamp();
    private Timer? _ticker;
    private int _ticking;
    private JobStatus _status = JobStatus.Running;
    private Exception? _failure;
    private string? _failedTaskName;
    private int _running;
    private int _sourcesAtEnd;
    private long _finalCheckpointId;
    private volatile bool _finalCheckpointCompleted;
    private volatile bool _stopRequested;
    private long _stopSavepointId;
    private int _stopNotifications;
    private bool _stoppedWithSavepoint;

    // Built on first use by any thread; two threads racing build equal lists, and either may win.
    private IReadOnlyList<OperatorMetricsCounter>? _operatorCounters;
    private IReadOnlyList<TaskMetricsCounter>? _taskCounters;

    /// <param name="checkpointing">Null: no checkpoints.</param>
    /// <param name="restoredCheckpointId">The checkpoint the run was restored from (0: none); new ids continue after it.</param>
    /// <param name="store">Where checkpoints go; default the directory of <paramref name="checkpointing"/>.</param>
    /// <param name="holdUntilCheckpointComplete">Whether tasks write nothing between a snapshot and its checkpoint's completion (see <see cref="StreamTask.HoldsUntilCheckpointComplete"/>).</param>
    /// <param name="loggerFactory">Receives task failures and checkpoint events; null logs nothing.</param>
    /// <param name="checkpointHistory">Where the run's checkpoints are recorded (the job's, kept over attempts); null records nothing.</param>
    public JobRun(string jobName, IReadOnlyList<StreamTask> tasks, IReadOnlyList<IInputGate> gates, CheckpointingOptions? checkpointing = null, long restoredCheckpointId = 0, CheckpointStatistics? statistics = null, ICheckpointStore? store = null, bool holdUntilCheckpointComplete = false, ILoggerFactory? loggerFactory = null, CheckpointHistory? checkpointHistory = null)
    {
        JobName = jobName;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger(StreamingLog.JobCategory);
        _tasks = tasks;
        _gates = gates;
        _sources = tasks.OfType<ISourceTaskControl>().ToArray();
        Options = checkpointing;
        if (checkpointing is null)
        {
            return;
        }

        var storage = store ?? new CheckpointStorage(checkpointing.Directory, checkpointing.RetainedCheckpoints);
        var settings = new CheckpointCoordinatorSettings((long)checkpointing.Interval.TotalMilliseconds, (long)checkpointing.Timeout.TotalMilliseconds, tasks.Count);
        var checkpointLog = new CheckpointLog(loggerFactory.CreateLogger(StreamingLog.CheckpointCategory), jobName, settings.TimeoutMs, () => NowMs);
        _executor = new CheckpointCommandExecutor(storage, settings, CheckpointCoordinatorState.Initial(NowMs, restoredCheckpointId), InjectBarriers, NotifyComplete, statistics, checkpointLog, checkpointHistory);
        for (var i = 0; i < tasks.Count; i++)
        {
            tasks[i].Checkpointing = new TaskCheckpointing(_executor, i, checkpointing.Mode, Report, NotificationProcessed);
            tasks[i].HoldsUntilCheckpointComplete = holdUntilCheckpointComplete;
            if (tasks[i] is SourceTask source)
            {
                source.ReachedEnd = SourceReachedEnd;
            }
        }
    }

    public string JobName { get; }

    /// <summary>Number of tasks (threads) of the attempt.</summary>
    public int TaskCount => _tasks.Count;

    /// <summary>The checkpoint settings, or null.</summary>
    public CheckpointingOptions? Options { get; }

    public JobStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    public Task Completion => _completion.Task;

    /// <summary>The name of the task whose failure failed the run; null while none did, or when the failure was not a task's.</summary>
    public string? FailedTaskName
    {
        get
        {
            lock (_lock)
            {
                return _failedTaskName;
            }
        }
    }

    /// <summary>Checkpoint counts so far (those of earlier runs included); <see cref="CheckpointStatistics.None"/> without checkpoints.</summary>
    public CheckpointStatistics CheckpointStatistics => _executor?.Statistics ?? CheckpointStatistics.None;

    /// <summary>Milliseconds on the coordinator's clock (monotonic, independent of the job's injectable processing-time clock).</summary>
    private long NowMs => (long)Stopwatch.GetElapsedTime(_tickerOriginTimestamp).TotalMilliseconds;

    public void Start()
    {
        _running = _tasks.Count;
        if (_running == 0)
        {
            Complete();
            return;
        }

        foreach (var task in _tasks)
        {
            var thread = new Thread(() => RunTask(task))
            {
                IsBackground = true,
                Name = "freshet: " + task.Name,
            };
            thread.Start();
        }

        if (_executor is not null)
        {
            var period = (long)Math.Clamp(Options!.Interval.TotalMilliseconds / 4, 5, 100);
            _ticker = new Timer(_ => Tick(), null, period, period);
        }
    }

    /// <summary>
    /// The live counters of every reported operator subtask of this attempt (the same ones <see cref="GetMetrics"/>
    /// snapshots), in task order; built once, never changes.
    /// </summary>
    public IReadOnlyList<OperatorMetricsCounter> OperatorCounters => _operatorCounters ??= CollectOperatorCounters();

    private List<OperatorMetricsCounter> CollectOperatorCounters()
    {
        var counters = new List<OperatorMetricsCounter>();
        foreach (var task in _tasks)
        {
            if (task.SourceMetrics is not null)
            {
                counters.Add(task.SourceMetrics);
            }

            foreach (var op in task.Operators)
            {
                if (op.IsReported)
                {
                    counters.Add(op.Metrics);
                }
            }
        }

        return counters;
    }

    /// <summary>The counters of every task of this attempt, in task order (one per vertex subtask).</summary>
    public IReadOnlyList<TaskMetricsCounter> TaskCounters => _taskCounters ??= _tasks.Select(static t => t.Counters).OfType<TaskMetricsCounter>().ToArray();

    public IReadOnlyList<TaskMetrics> GetTaskMetrics() => TaskCounters.Select(static c => c.Snapshot()).ToArray();

    public IReadOnlyList<OperatorMetrics> GetMetrics()
    {
        var metrics = new List<OperatorMetrics>();
        foreach (var task in _tasks)
        {
            if (task.SourceMetrics is not null)
            {
                metrics.Add(task.SourceMetrics.Snapshot());
            }

            foreach (var op in task.Operators)
            {
                if (op.IsReported)
                {
                    metrics.Add(op.Metrics.Snapshot());
                }
            }
        }

        return metrics;
    }

    public void Cancel()
    {
        lock (_lock)
        {
            if (_status != JobStatus.Running)
            {
                return;
            }

            _status = JobStatus.Cancelling;
        }

        StopAll();
    }

    /// <summary>Takes a savepoint into <paramref name="directory"/> (must not exist or be empty); completes with its path.</summary>
    public Task<string> TriggerSavepointAsync(string directory) => TriggerOnRequestAsync(directory);

    /// <summary>A savepoint into <paramref name="directory"/>, or with null a checkpoint on request into the run's own store.</summary>
    private Task<string> TriggerOnRequestAsync(string? directory)
    {
        var executor = _executor ?? throw new InvalidOperationException("Savepoints need checkpointing: set StreamEnvironmentOptions.Checkpointing.");
        if (_completion.Task.IsCompleted)
        {
            throw new InvalidOperationException("The job has ended; a savepoint needs a running job.");
        }

        var savepoint = executor.RequestSavepoint(directory, NowMs);
        if (_completion.Task.IsCompleted)
        {
            executor.FailPendingSavepoints("The job ended before the savepoint completed.");
        }

        return savepoint;
    }

    /// <summary>Takes a savepoint after which the sources read nothing more, then stops the run (status finished); completes with the savepoint's path.</summary>
    public Task<string> StopWithSavepointAsync(string directory) => StopAtBarrierAsync(directory);

    /// <summary>
    /// Takes one more checkpoint into the run's own store, after whose barrier the sources read nothing more, then stops
    /// the run (status finished) — stop-with-savepoint without a savepoint: an application task's last commit before
    /// it is given up in a rebalance. Completes with the store's description of the checkpoint.
    /// </summary>
    public Task<string> StopWithFinalCheckpointAsync() => StopAtBarrierAsync(null);

    private async Task<string> StopAtBarrierAsync(string? directory)
    {
        _stopRequested = true;
        string path;
        try
        {
            path = await TriggerOnRequestAsync(directory).ConfigureAwait(false);
        }
        catch
        {
            _stopRequested = false;
            Volatile.Write(ref _stopSavepointId, 0);
            foreach (var source in _sources)
            {
                source.ResumeAfterFailedStop();
            }

            throw;
        }

        await Completion.ConfigureAwait(false);
        return path;
    }

    private void Tick()
    {
        // A tick that finds the previous one still running (a slow commit holds the coordinator) is dropped: piling
        // timer callbacks up behind the coordinator's lock would take every thread-pool thread, including those the
        // commit itself may need.
        // Once the barrier of a stop-with-savepoint is out, the savepoint is the run's last checkpoint: a periodic one
        // after it would be newer than the savepoint, and the next start would restore it instead.
        if (_finalCheckpointCompleted || _completion.Task.IsCompleted || Volatile.Read(ref _stopSavepointId) != 0 || Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        try
        {
            Report(new CheckpointEvent.Tick(NowMs));
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    /// <summary>Feeds the coordinator; a failure of its I/O (the manifest cannot be written) fails the job.</summary>
    private void Report(CheckpointEvent checkpointEvent)
    {
        try
        {
            _executor!.Handle(checkpointEvent);
        }
#pragma warning disable CA1031 // Runs on timer and thread-pool threads: a coordinator failure must fail the job, not the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (Fail(new JobExecutionException("The checkpoint coordinator failed.", e)))
            {
                _logger.CheckpointCoordinatorFailed(e, JobName);
            }
        }
    }

    /// <summary>Executor callback (under its lock): the sources inject the barrier of <paramref name="checkpointId"/>.</summary>
    private void InjectBarriers(long checkpointId, bool isSavepoint)
    {
        if (Volatile.Read(ref _sourcesAtEnd) == _sources.Length && _finalCheckpointId == 0)
        {
            _finalCheckpointId = checkpointId;
        }

        var stop = isSavepoint && _stopRequested;
        if (stop)
        {
            Volatile.Write(ref _stopSavepointId, checkpointId);
        }

        foreach (var source in _sources)
        {
            source.RequestBarrier(checkpointId, stop);
        }
    }

    /// <summary>Executor callback (under its lock): every task hears that <paramref name="checkpointId"/> completed.</summary>
    private void NotifyComplete(long checkpointId)
    {
        foreach (var task in _tasks)
        {
            task.Checkpointing!.EnqueueCompleted(checkpointId);
        }

        if (_finalCheckpointId != 0 && checkpointId >= _finalCheckpointId)
        {
            _finalCheckpointCompleted = true;
            foreach (var source in _sources)
            {
                source.AllowFinish();
            }
        }
    }

    /// <summary>A task handled the completion of <paramref name="checkpointId"/> (task thread).</summary>
    private void NotificationProcessed(long checkpointId)
    {
        if (checkpointId != Volatile.Read(ref _stopSavepointId) || Interlocked.Increment(ref _stopNotifications) != _tasks.Count)
        {
            return;
        }

        lock (_lock)
        {
            if (_status != JobStatus.Running)
            {
                return;
            }

            _stoppedWithSavepoint = true;
        }

        StopAll();
    }

    private void SourceReachedEnd()
    {
        if (Interlocked.Increment(ref _sourcesAtEnd) == _sources.Length)
        {
            Report(new CheckpointEvent.CheckpointRequested(NowMs));
        }
    }

    private void RunTask(StreamTask task)
    {
        try
        {
            task.Run();
        }
        catch (JobCancelledSignal)
        {
        }
#pragma warning disable CA1031 // A task thread must record any failure for the job rather than crash the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (Fail(e, task.Name))
            {
                _logger.TaskFailed(e, JobName, task.Name);
            }
        }
        finally
        {
            task.CloseOperators();
            if (Interlocked.Decrement(ref _running) == 0)
            {
                Complete();
            }
        }
    }

    /// <summary>Fails the run with <paramref name="e"/>; false when the run had already failed, stopped or been cancelled (the failure is a consequence, not a cause).</summary>
    /// <param name="taskName">The failing task, or null when the failure is not a task's.</param>
    private bool Fail(Exception e, string? taskName = null)
    {
        lock (_lock)
        {
            if (_failure is not null || _stoppedWithSavepoint || _status is JobStatus.Cancelling or JobStatus.Cancelled)
            {
                return false;
            }

            _failure = e is JobExecutionException ? e : new JobExecutionException("A task failed outside any operator.", e);
            _status = JobStatus.Failed;
            _failedTaskName = taskName;
        }

        StopAll();
        return true;
    }

    private void StopAll()
    {
        _ticker?.Dispose();
        foreach (var task in _tasks)
        {
            task.Cancel();
        }

        foreach (var gate in _gates)
        {
            gate.Cancel();
        }
    }

    private void Complete()
    {
        _ticker?.Dispose();
        _executor?.FailPendingSavepoints("The job ended before the savepoint completed.");
        _executor?.FailPendingCheckpoints("the job attempt ended before every task acknowledged it");
        lock (_lock)
        {
            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else if (_status == JobStatus.Cancelling && !_stoppedWithSavepoint)
            {
                _status = JobStatus.Cancelled;
                _completion.TrySetCanceled();
            }
            else
            {
                _status = JobStatus.Finished;
                _completion.TrySetResult();
            }
        }
    }
}
