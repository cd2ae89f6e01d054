using System.Diagnostics;
using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The last <see cref="Capacity"/> checkpoints and savepoints of a job over all its attempts, for
/// <see cref="JobHandle.GetCheckpointHistory"/>: each is added when triggered and updated when it completes or fails.
/// Written by the coordinator's I/O edge (<see cref="CheckpointCommandExecutor"/>, once per checkpoint event, never per
/// record). Thread-safe: one lock guards the entries.
/// </summary>
internal sealed class CheckpointHistory
{
    /// <summary>How many checkpoints are kept; older ones are dropped first.</summary>
    public const int Capacity = 20;

    private readonly object _lock = new();
    private readonly TimeProvider _clock;

    /// <summary>Oldest first; at most <see cref="Capacity"/>.</summary>
    private readonly LinkedList<Entry> _entries = new();

    private IReadOnlyDictionary<string, long> _latestStateBytesByOperator = new Dictionary<string, long>();

    /// <param name="clock">The job's clock, on which trigger times are read.</param>
    public CheckpointHistory(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>Checkpoint <paramref name="checkpointId"/> was triggered.</summary>
    public void Triggered(long checkpointId, bool isSavepoint)
    {
        var entry = new Entry(checkpointId, isSavepoint, _clock.GetUtcNow(), Stopwatch.GetTimestamp());
        lock (_lock)
        {
            _entries.AddLast(entry);
            if (_entries.Count > Capacity)
            {
                _entries.RemoveFirst();
            }
        }
    }

    /// <summary>Every task acknowledged <paramref name="checkpoint"/>, and it was committed.</summary>
    public void Completed(PendingCheckpoint checkpoint)
    {
        Resolve(checkpoint.CheckpointId, CheckpointOutcome.Completed, null, checkpoint);
        lock (_lock)
        {
            _latestStateBytesByOperator = checkpoint.StateBytesByOperator;
        }
    }

    /// <summary>Bytes of state files per operator uid of the newest completed checkpoint or savepoint; empty before the first.</summary>
    public IReadOnlyDictionary<string, long> LatestStateBytesByOperator
    {
        get
        {
            lock (_lock)
            {
                return _latestStateBytesByOperator;
            }
        }
    }

    /// <summary>Checkpoint <paramref name="checkpointId"/> was aborted for <paramref name="reason"/>.</summary>
    public void Failed(long checkpointId, string reason) => Resolve(checkpointId, CheckpointOutcome.Failed, reason, null);

    /// <summary>Fails every checkpoint still in progress (the attempt that took them ended).</summary>
    public void FailInProgress(string reason)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            foreach (var entry in _entries)
            {
                if (entry.Outcome == CheckpointOutcome.InProgress)
                {
                    entry.Resolve(CheckpointOutcome.Failed, reason, null, now);
                }
            }
        }
    }

    /// <summary>The kept checkpoints, newest first.</summary>
    public IReadOnlyList<CheckpointHistoryEntry> Snapshot()
    {
        lock (_lock)
        {
            var result = new CheckpointHistoryEntry[_entries.Count];
            var i = result.Length;
            foreach (var entry in _entries)
            {
                result[--i] = entry.ToPublic();
            }

            return result;
        }
    }

    private void Resolve(long checkpointId, CheckpointOutcome outcome, string? reason, PendingCheckpoint? acknowledged)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            for (var node = _entries.Last; node is not null; node = node.Previous)
            {
                if (node.Value.CheckpointId == checkpointId)
                {
                    node.Value.Resolve(outcome, reason, acknowledged, now);
                    return;
                }
            }
        }
    }

    /// <summary>One checkpoint's record; mutated under the history's lock only.</summary>
    private sealed class Entry(long checkpointId, bool isSavepoint, DateTimeOffset triggeredAt, long triggeredTimestamp)
    {
        private TimeSpan? _duration;
        private string? _failureReason;
        private PendingCheckpoint? _acknowledged;

        public long CheckpointId { get; } = checkpointId;

        public CheckpointOutcome Outcome { get; private set; } = CheckpointOutcome.InProgress;

        public void Resolve(CheckpointOutcome outcome, string? reason, PendingCheckpoint? acknowledged, long nowTimestamp)
        {
            if (Outcome != CheckpointOutcome.InProgress)
            {
                return;
            }

            Outcome = outcome;
            _failureReason = reason;
            _acknowledged = acknowledged;
            _duration = Stopwatch.GetElapsedTime(triggeredTimestamp, nowTimestamp);
        }

        public CheckpointHistoryEntry ToPublic() => new(
            CheckpointId,
            isSavepoint,
            Outcome,
            triggeredAt,
            _duration,
            _acknowledged?.StateBytes ?? 0,
            TimeSpan.FromMilliseconds(_acknowledged?.MaxAlignmentMs ?? 0),
            TimeSpan.FromMilliseconds(_acknowledged?.MaxSyncMs ?? 0),
            TimeSpan.FromMilliseconds(_acknowledged?.MaxAsyncMs ?? 0),
            _failureReason);
    }
}
