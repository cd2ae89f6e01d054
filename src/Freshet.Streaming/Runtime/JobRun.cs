using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Runtime;

/// <summary>
/// The execution of one plan: one dedicated thread per task, the job's status, and its completion.
/// The first task failure wins: every other task is cancelled and every gate woken, and <see cref="Completion"/>
/// faults with that failure once all threads have ended. Thread-safe: status changes under <c>_lock</c>.
/// </summary>
internal sealed class JobRun
{
    private readonly object _lock = new();
    private readonly IReadOnlyList<StreamTask> _tasks;
    private readonly IReadOnlyList<IInputGate> _gates;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JobStatus _status = JobStatus.Running;
    private Exception? _failure;
    private int _running;

    public JobRun(string jobName, IReadOnlyList<StreamTask> tasks, IReadOnlyList<IInputGate> gates)
    {
        JobName = jobName;
        _tasks = tasks;
        _gates = gates;
    }

    public string JobName { get; }

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
    }

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
            Fail(e);
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

    private void Fail(Exception e)
    {
        lock (_lock)
        {
            if (_failure is not null || _status is JobStatus.Cancelling or JobStatus.Cancelled)
            {
                return;
            }

            _failure = e is JobExecutionException ? e : new JobExecutionException("A task failed outside any operator.", e);
            _status = JobStatus.Failed;
        }

        StopAll();
    }

    private void StopAll()
    {
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
        lock (_lock)
        {
            if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else if (_status == JobStatus.Cancelling)
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
