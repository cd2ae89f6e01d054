using Confluent.Kafka;
using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// Where an application task's checkpoints go: each checkpoint is one commit of the task's producer. The run's
/// checkpoints are taken every commit interval with the task's sources holding after the barrier, so when the last
/// snapshot is in, everything the task wrote before the barrier — sink records, repartition records, and the keyed
/// state changes its changelog backends drained at the barrier — is in the open transaction and nothing after it is.
/// <see cref="ICheckpointWriter.Commit"/> then adds each operator's other checkpoint sections (timers, trigger state,
/// source positions; only those that changed) to the operator's changelog topic, turns the sources' positions into
/// input offsets, and commits (<see cref="ApplicationTaskProducer.Commit"/>). Under at-least-once the sources' sections
/// are written after everything else is acknowledged, and the offsets after them.
/// <para>
/// A checkpoint that fails (declined or timed out) cannot be rolled back piecemeal — its keyed changes were drained —
/// so <see cref="ICheckpointWriter.Abort"/> fails the task through <c>fail</c>: the transaction is aborted and the task
/// restored from its changelogs. Thread-safe: snapshots arrive on thread-pool threads, commit on the coordinator's.
/// </para>
/// </summary>
internal sealed class TaskCommitStore : ICheckpointStore
{
    private readonly ApplicationTaskProducer _producer;
    private readonly int _partition;
    private readonly Func<string, string?> _changelogOf;
    private readonly IReadOnlyDictionary<string, Func<byte[], IEnumerable<TopicPartitionOffset>>> _offsetsOfSource;
    private readonly Action<Exception> _fail;
    private readonly Action? _committedCallback;
    private readonly object _lock = new();

    /// <summary>The sections last committed per operator uid, to write only what changed.</summary>
    private readonly Dictionary<string, IReadOnlyDictionary<string, byte[]>> _committed;

    /// <param name="changelogOf">The changelog topic of an operator uid (created if needed), or null when the uid keeps nothing.</param>
    /// <param name="offsetsOfSource">Per source uid: the input offsets its position stands for.</param>
    /// <param name="restoredSections">The sections restored per uid (already in the changelog).</param>
    /// <param name="fail">Fails the task (a checkpoint was given up).</param>
    /// <param name="committed">Called after each commit, on the committing thread.</param>
    public TaskCommitStore(ApplicationTaskProducer producer, int partition, Func<string, string?> changelogOf, IReadOnlyDictionary<string, Func<byte[], IEnumerable<TopicPartitionOffset>>> offsetsOfSource, IReadOnlyDictionary<string, IReadOnlyDictionary<string, byte[]>> restoredSections, Action<Exception> fail, Action? committed = null)
    {
        _committedCallback = committed;
        _producer = producer;
        _partition = partition;
        _changelogOf = changelogOf;
        _offsetsOfSource = offsetsOfSource;
        _fail = fail;
        _committed = new Dictionary<string, IReadOnlyDictionary<string, byte[]>>(restoredSections, StringComparer.Ordinal);
    }

    private bool _closed;

    /// <summary>Commits completed by this store.</summary>
    public long Commits { get; private set; }

    /// <summary>
    /// Waits for a commit in progress (the coordinator's thread may be inside one when the run is cancelled) and refuses
    /// later ones, so the task may then abort the transaction and dispose the producer without racing a commit.
    /// </summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
        }
    }

    public ICheckpointWriter Begin(long checkpointId) => new Writer(this, checkpointId);

    public void RemoveExpired()
    {
    }

    private void Commit(long checkpointId, Dictionary<string, IReadOnlyDictionary<string, byte[]>> snapshot)
    {
        lock (_lock)
        {
            if (_closed)
            {
                throw new InvalidOperationException($"Commit {checkpointId} came after the task stopped.");
            }

            // Sources' sections (their positions) go last: under at-least-once everything before them is acknowledged
            // first (FlushWrites), so a position in a changelog never runs ahead of the state and output it stands for.
            // Under exactly-once the order does not matter (one transaction) and FlushWrites does nothing.
            var offsets = new List<TopicPartitionOffset>();
            foreach (var (uid, sections) in snapshot)
            {
                if (!_offsetsOfSource.ContainsKey(uid))
                {
                    WriteChangedSections(uid, sections);
                }
            }

            _producer.FlushWrites();
            foreach (var (uid, sections) in snapshot)
            {
                if (_offsetsOfSource.TryGetValue(uid, out var offsetsOf))
                {
                    if (sections.TryGetValue(global::Freshet.Streaming.Tasks.StreamTask.SourcePositionSection, out var position))
                    {
                        offsets.AddRange(offsetsOf(position));
                    }

                    WriteChangedSections(uid, sections);
                }
            }

            _producer.Commit(offsets);
            foreach (var (uid, sections) in snapshot)
            {
                _committed[uid] = sections;
            }

            Commits++;
            _committedCallback?.Invoke();
        }
    }

    /// <summary>Writes the sections of <paramref name="uid"/> that changed since its last commit (a removed one as a tombstone).</summary>
    private void WriteChangedSections(string uid, IReadOnlyDictionary<string, byte[]> sections)
    {
        var previous = _committed.GetValueOrDefault(uid);
        string? topic = null;
        foreach (var (name, bytes) in sections)
        {
            if (previous is null || !previous.TryGetValue(name, out var old) || !old.AsSpan().SequenceEqual(bytes))
            {
                ProduceSection(ref topic, uid, name, bytes);
            }
        }

        foreach (var name in previous?.Keys ?? [])
        {
            if (!sections.ContainsKey(name))
            {
                ProduceSection(ref topic, uid, name, null);
            }
        }
    }

    /// <summary>Writes one section record (null: removed) to the operator's changelog, looked up (and created) on the first write.</summary>
    private void ProduceSection(ref string? topic, string uid, string name, byte[]? bytes)
    {
        topic ??= _changelogOf(uid) ?? throw new InvalidOperationException($"The operator '{uid}' keeps state but has no changelog topic.");
        _producer.Produce(topic, _partition, OperatorChangelogKey.ForSection(name).Encode(), bytes);
    }

    private sealed class Writer(TaskCommitStore store, long checkpointId) : ICheckpointWriter
    {
        private readonly Dictionary<string, IReadOnlyDictionary<string, byte[]>> _snapshot = new(StringComparer.Ordinal);

        public long CheckpointId => checkpointId;

        public void WriteState(string operatorUid, int subtask, ReadOnlySpan<byte> state)
        {
            var sections = OperatorStateSections.Decode(state.ToArray());
            lock (_snapshot)
            {
                _snapshot[operatorUid] = sections;
            }
        }

        public string Commit()
        {
            Dictionary<string, IReadOnlyDictionary<string, byte[]>> snapshot;
            lock (_snapshot)
            {
                snapshot = new Dictionary<string, IReadOnlyDictionary<string, byte[]>>(_snapshot, StringComparer.Ordinal);
            }

            store.Commit(checkpointId, snapshot);
            return $"commit {checkpointId} of {store._producer.Name}";
        }

        public void Abort() => store._fail(new InvalidOperationException($"Commit {checkpointId} of the task was given up (a snapshot was declined or timed out); the task restarts from its changelogs."));
    }
}
