namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The I/O edge of the coordinator: feeds events to <see cref="CheckpointCoordinator.Decide"/> and carries out its
/// commands — on <c>Trigger</c> opens a writer in the run's <see cref="ICheckpointStore"/> (or in the savepoint's
/// directory) and asks the runtime to inject barriers; on <c>Complete</c> commits the writer (writes the manifest, or
/// commits the application task's transaction), removes expired checkpoints and notifies the tasks; on <c>Abort</c>
/// aborts the writer. Tasks write their state through <see cref="TryGetWriter"/> and then report
/// <see cref="CheckpointEvent.Acknowledged"/> or <see cref="CheckpointEvent.Declined"/>. Thread-safe: one lock
/// serializes events (called from a timer and from the thread pool threads that finish snapshot writes); the callbacks
/// run under it and must not call back into the executor. A commit that throws fails the run (see <c>JobRun</c>).
/// </summary>
internal sealed class CheckpointCommandExecutor
{
    private readonly object _lock = new();
    private readonly ICheckpointStore _storage;
    private readonly CheckpointCoordinatorSettings _settings;
    private readonly Action<long, bool> _injectBarriers;
    private readonly Action<long> _notifyComplete;
    private readonly Dictionary<long, ICheckpointWriter> _writers = new();
    private readonly Queue<(string? Directory, TaskCompletionSource<string> Completion)> _savepointRequests = new();
    private readonly Dictionary<long, TaskCompletionSource<string>> _savepointsInFlight = new();
    private readonly CheckpointLog? _log;
    private readonly CheckpointHistory? _history;
    private CheckpointCoordinatorState _state;
    private CheckpointStatistics _statistics = CheckpointStatistics.None;

    /// <param name="injectBarriers">Makes every source task emit the barrier of the given checkpoint (true: a savepoint).</param>
    /// <param name="notifyComplete">Tells every task that the given checkpoint completed (transactional sinks commit).</param>
    /// <param name="statistics">Counts carried over from earlier runs of the job (restarts); default none.</param>
    /// <param name="log">Where completed, slow and aborted checkpoints are logged; null logs nothing.</param>
    /// <param name="history">Where every checkpoint is recorded when triggered, completed and aborted (kept over the job's attempts); null records nothing.</param>
    public CheckpointCommandExecutor(ICheckpointStore storage, CheckpointCoordinatorSettings settings, CheckpointCoordinatorState initial, Action<long, bool> injectBarriers, Action<long> notifyComplete, CheckpointStatistics? statistics = null, CheckpointLog? log = null, CheckpointHistory? history = null)
    {
        _log = log;
        _history = history;
        _statistics = statistics ?? CheckpointStatistics.None;
        settings.Validate();
        _storage = storage;
        _settings = settings;
        _state = initial;
        _injectBarriers = injectBarriers;
        _notifyComplete = notifyComplete;
    }

    public CheckpointStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return _statistics;
            }
        }
    }

    /// <summary>The writer of pending checkpoint <paramref name="checkpointId"/>; false once it completed or was aborted.</summary>
    public bool TryGetWriter(long checkpointId, out ICheckpointWriter? writer)
    {
        lock (_lock)
        {
            return _writers.TryGetValue(checkpointId, out writer);
        }
    }

    /// <summary>
    /// Asks for a savepoint in <paramref name="directory"/>, or with null for a checkpoint taken as a savepoint is (on
    /// request, and able to stop the sources after its barrier) but written to the run's own store; the task completes
    /// with its path (or the store's description of it) once every task acknowledged.
    /// </summary>
    public Task<string> RequestSavepoint(string? directory, long nowMs)
    {
        var completion = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _savepointRequests.Enqueue((directory is null ? null : Path.GetFullPath(directory), completion));
            Apply(new CheckpointEvent.SavepointRequested(nowMs));
        }

        return completion.Task;
    }

    /// <summary>The run ended: every checkpoint still pending is recorded as failed with <paramref name="reason"/>.</summary>
    public void FailPendingCheckpoints(string reason)
    {
        lock (_lock)
        {
            _history?.FailInProgress(reason);
        }
    }

    /// <summary>The job stopped: every savepoint request not yet completed fails with <paramref name="reason"/>.</summary>
    public void FailPendingSavepoints(string reason)
    {
        lock (_lock)
        {
            while (_savepointRequests.TryDequeue(out var request))
            {
                request.Completion.TrySetException(new InvalidOperationException(reason));
            }

            foreach (var completion in _savepointsInFlight.Values)
            {
                completion.TrySetException(new InvalidOperationException(reason));
            }

            _savepointsInFlight.Clear();
        }
    }

    public void Handle(CheckpointEvent checkpointEvent)
    {
        lock (_lock)
        {
            Apply(checkpointEvent);
        }
    }

    private void Apply(CheckpointEvent checkpointEvent)
    {
        var (state, commands) = CheckpointCoordinator.Decide(_settings, _state, checkpointEvent);
        _state = state;
        foreach (var command in commands)
        {
            switch (command)
            {
                case CheckpointCommand.Trigger trigger:
                    Trigger(trigger);
                    break;
                case CheckpointCommand.Complete complete:
                    Complete(complete.Checkpoint);
                    break;
                case CheckpointCommand.Abort abort:
                    Abort(abort);
                    break;
            }
        }
    }

    private void Trigger(CheckpointCommand.Trigger trigger)
    {
        _history?.Triggered(trigger.CheckpointId, trigger.IsSavepoint);
        if (trigger.IsSavepoint && _savepointRequests.TryDequeue(out var request))
        {
            try
            {
                _writers[trigger.CheckpointId] = request.Directory is null ? _storage.Begin(trigger.CheckpointId) : CheckpointStorage.BeginSavepoint(trigger.CheckpointId, request.Directory);
            }
            catch (IOException e)
            {
                request.Completion.TrySetException(e);
                Apply(new CheckpointEvent.Declined(trigger.CheckpointId, 0, e.Message));
                return;
            }

            _savepointsInFlight[trigger.CheckpointId] = request.Completion;
        }
        else
        {
            _writers[trigger.CheckpointId] = _storage.Begin(trigger.CheckpointId);
        }

        _injectBarriers(trigger.CheckpointId, trigger.IsSavepoint);
    }

    private void Complete(PendingCheckpoint checkpoint)
    {
        if (!_writers.Remove(checkpoint.CheckpointId, out var writer))
        {
            return;
        }

        var completed = writer.Commit();
        _log?.Completed(checkpoint);
        _history?.Completed(checkpoint);
        _statistics = _statistics with
        {
            Completed = _statistics.Completed + 1,
            LastCompletedId = checkpoint.CheckpointId,
            LastStateBytes = checkpoint.StateBytes,
            LastSyncMs = checkpoint.MaxSyncMs,
            LastAsyncMs = checkpoint.MaxAsyncMs,
        };
        if (_savepointsInFlight.Remove(checkpoint.CheckpointId, out var savepoint))
        {
            savepoint.TrySetResult(completed);
        }
        else
        {
            _storage.RemoveExpired();
        }

        _notifyComplete(checkpoint.CheckpointId);
    }

    private void Abort(CheckpointCommand.Abort abort)
    {
        if (_writers.Remove(abort.CheckpointId, out var writer))
        {
            writer.Abort();
        }

        _statistics = _statistics with { Failed = _statistics.Failed + 1 };
        _log?.Aborted(abort);
        _history?.Failed(abort.CheckpointId, abort.Reason);
        if (_savepointsInFlight.Remove(abort.CheckpointId, out var savepoint))
        {
            savepoint.TrySetException(new IOException($"Savepoint {abort.CheckpointId} failed: {abort.Reason}."));
        }
    }
}
