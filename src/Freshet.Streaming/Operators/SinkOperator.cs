using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Operators;

/// <summary>
/// Hands batches to a <see cref="SinkWriter{T}"/>; flushes it at end of input and disposes it when the task ends.
/// <para>
/// Checkpoints: a <see cref="TwoPhaseCommitSinkWriter{T}"/> pre-commits its transaction at each barrier (the
/// committable is kept in <see cref="PendingCommittables"/> and stored in the snapshot as the section
/// <c>committables</c>), commits when the checkpoint completes, and after a restore recovers with the committables of
/// the old subtasks it takes over (old subtask i goes to new subtask i mod parallelism); in a job without checkpoints
/// it would never commit, so it fails the task at open. Any other writer is flushed at each barrier (at-least-once:
/// records since the last completed checkpoint are written again after a restore).
/// </para>
/// Task thread only.
/// </summary>
internal sealed class SinkOperator<T> : Operator<T>, ICheckpointedOperator, ICheckpointListener
{
    private const string Section = "committables";
    private readonly Sink<T> _sink;
    private readonly SinkContext _context;
    private readonly PendingCommittables _pending = new();
    private readonly List<RestoredCommittable> _restoredCommittables = [];
    private SinkWriter<T>? _writer;

    /// <summary>The writer when it commits in two phases, else null.</summary>
    private TwoPhaseCommitSinkWriter<T>? _twoPhase;

    public SinkOperator(OperatorSetup setup, Sink<T> sink)
        : base(setup)
    {
        _sink = sink;
        _context = new SinkContext(setup.SubtaskIndex, setup.Parallelism)
        {
            ProcessingTime = setup.ProcessingTime,
            OperatorUid = setup.Uid,
            JobName = setup.JobName,
            CheckpointingEnabled = setup.CheckpointingEnabled,
            TaskProducer = setup.TaskProducer,
            Metrics = Metrics,
        };
    }

    protected override void OnOpen()
    {
        _writer = _sink.CreateWriter(_context) ?? throw new InvalidOperationException($"The sink of '{Name}' created no writer (CreateWriter returned null).");
        _twoPhase = _writer as TwoPhaseCommitSinkWriter<T>;
        if (_twoPhase is null)
        {
            return;
        }

        if (!_context.CheckpointingEnabled)
        {
            throw new InvalidOperationException(
                $"The sink of '{Name}' writes through {_writer.GetType().Name}, a two-phase-commit writer that makes records visible only when a checkpoint completes; set StreamEnvironmentOptions.Checkpointing.");
        }

        // Also without restored state: aborts transactions a failed earlier run of this subtask left open.
        _twoPhase.Recover(_restoredCommittables);
    }

    protected override void ProcessBatch(StreamBatch<T> batch) => _writer!.Write(batch.ValueSpan, batch.TimestampSpan);

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        if (_twoPhase is null)
        {
            _writer!.Flush(endOfInput: false);
            return null;
        }

        if (_twoPhase.PreCommit(checkpointId) is { } committable)
        {
            _pending.Add(checkpointId, committable);
        }

        var bytes = _pending.Serialize();
        return () => [(Section, bytes)];
    }

    public IReadOnlyList<string> StateSections { get; } = [Section];

    public void RestoreState(RestoredOperatorState restored)
    {
        foreach (var (oldSubtask, sections) in restored.OwnedBy(SubtaskIndex, Parallelism))
        {
            if (sections.TryGetValue(Section, out var bytes))
            {
                _restoredCommittables.AddRange(PendingCommittables.Deserialize(bytes).TakeUpTo(long.MaxValue).Select(c => new RestoredCommittable(oldSubtask, c)));
            }
        }
    }

    public void NotifyCheckpointComplete(long checkpointId)
    {
        if (_twoPhase is not null)
        {
            var committables = _pending.TakeUpTo(checkpointId);
            if (committables.Count > 0)
            {
                _twoPhase.Commit(committables);
            }
        }
    }

    protected override void OnWatermark(long watermark)
    {
    }

    protected override void OnIdle()
    {
    }

    protected override void OnFinish() => _writer!.Flush(endOfInput: true);

    public override void Close() => _writer?.Dispose();
}
