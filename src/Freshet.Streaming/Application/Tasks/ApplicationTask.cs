using Confluent.Kafka;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Changelog;
using Freshet.Streaming.Application.Instance;
using Freshet.Streaming.Application.Membership;
using Freshet.Streaming.Application.Repartition;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// One application task (sub-topology × partition) running on this instance. Each attempt: opens the task's producer
/// (with exactly-once this fences the task's previous owner and aborts its open transaction; with at-least-once its
/// commits carry the group generation the task was assigned in, which the coordinator checks), brings this instance's
/// copy of the task's changelogs up to their end (<see cref="TaskChangelogCopy"/>: the whole changelog the first time,
/// only the tail when the copy is warm from a standby replica or an earlier run here) and restores from it, plans the task's graph (<see cref="ApplicationTaskGraph"/>) over a
/// <see cref="ChangelogStateBackend"/> whose keyed changes go to the changelogs at every barrier, and runs it with a
/// checkpoint every commit interval that commits through <see cref="TaskCommitStore"/>. A failed attempt aborts its
/// transaction and the task starts again from its changelogs, as often as the job's restart strategy allows — except
/// when the group refused its offsets (<see cref="OffsetCommitFencedException"/>): the task was given to another
/// instance, so it stops (state <see cref="ApplicationTaskState.Stopped"/>) and waits for the rebalance.
/// <para>
/// Restoring and running happen on the task's own background work, never in a group callback: a rebalance only
/// starts or stops tasks. Thread-safety: <see cref="Start"/> once; <see cref="StopAsync"/> from any thread; the
/// status members from any thread.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The cancellation source has no timer or wait handle in use; nothing to release.")]
internal sealed class ApplicationTask
{
    private readonly ApplicationContext _context;
    private readonly Action<TaskId, TaskChangelogCopy>? _saveCopy;
    private readonly GroupGeneration? _generation;
    private readonly Action<TaskId, OffsetCommitFencedException>? _fenced;

    /// <summary>How often a running task saves its copy (for a restart) at most.</summary>
    private static readonly TimeSpan CopySaveInterval = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _lastCommitDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private Task _work = Task.CompletedTask;
    private JobRun? _run;
    private Exception? _commitFailure;
    private volatile ApplicationTaskState _state = ApplicationTaskState.Restoring;

    /// <param name="saveCopy">Keeps the copy for a restart (on disk), called after each restore; never throws.</param>
    /// <param name="generation">The group generation the task was assigned in: its at-least-once offset commits carry it (required then).</param>
    /// <param name="fenced">Told when the group refused the task's offsets and the task stopped; never throws.</param>
    public ApplicationTask(ApplicationContext context, TaskId id, TaskChangelogCopy copy, Action<TaskId, TaskChangelogCopy>? saveCopy = null, GroupGeneration? generation = null, Action<TaskId, OffsetCommitFencedException>? fenced = null)
    {
        if (context.IsAtLeastOnce && (generation is null || context.OffsetCommitter is null))
        {
            throw new ArgumentException("An at-least-once task needs the group generation it was assigned in and the instance's offset committer.", nameof(generation));
        }

        _generation = generation;
        _fenced = fenced;
        _context = context;
        Id = id;
        Copy = copy;
        _saveCopy = saveCopy;
    }

    public TaskId Id { get; }

    /// <summary>This instance's copy of the task's changelogs: brought up to date, then restored from, by each attempt.</summary>
    public TaskChangelogCopy Copy { get; }

    public ApplicationTaskState State => _state;

    /// <summary>Changelog records read by the last restore (while restoring: so far); a warm copy reads only the tail.</summary>
    public long RestoredRecords => Copy.LastRestoredRecords;

    /// <summary>Commits of the current attempt.</summary>
    public long Commits => _store?.Commits ?? 0;

    /// <summary>Attempts that failed and were restarted.</summary>
    public int Restarts { get; private set; }

    /// <summary>The failure that caused the latest restart; null while the task has not restarted.</summary>
    public Exception? LastRestartCause { get; private set; }

    /// <summary>
    /// Once <see cref="StopAsync"/> was called: completes when the stopping task's last commit (at-least-once) has
    /// been made or given up, before the run is torn down; at once under exactly-once or when the task was not running.
    /// Never faults.
    /// </summary>
    public Task LastCommit => _lastCommitDone.Task;

    /// <summary>Ends when the task stopped, finished or failed for good (then with the failure).</summary>
    public Task Completion => _work;

    private TaskCommitStore? _store;

    private string Name => $"{_context.ApplicationId} task {Id}";

    /// <summary>Starts the task's work, once <paramref name="after"/> (this task's earlier run on this instance, being stopped) has ended.</summary>
    public void Start(Task? after = null) => _work = Task.Factory.StartNew(
        async () =>
        {
            if (after is not null)
            {
                await after.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }

            await Work().ConfigureAwait(false);
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default).Unwrap();

    /// <summary>
    /// Stops the task: its run is cancelled and what it wrote since its last commit is aborted. At-least-once, where
    /// nothing can be aborted, a running task first commits once more with its sources stopped after the barrier (as
    /// Kafka Streams commits the tasks a rebalance takes away), so its next owner does not process again what it
    /// wrote; if that last commit fails or takes longer than the request timeout, the next owner processes those
    /// records again.
    /// </summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        JobRun? run;
        lock (_lock)
        {
            run = _run;
        }

        if (_context.IsAtLeastOnce && run is not null && _state == ApplicationTaskState.Running)
        {
            try
            {
                await run.StopWithFinalCheckpointAsync().WaitAsync(_context.RequestTimeout).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The last commit is best effort: whatever it did not cover is processed again by the next owner.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _lastCommitDone.TrySetResult();

        lock (_lock)
        {
            _run?.Cancel();
        }

        try
        {
            await _work.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A task that failed while stopping has stopped; its failure was reported through Completion.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task Work()
    {
        var strategy = _context.Environment.Checkpointing?.RestartStrategy ?? Jobs.RestartStrategy.FixedDelay(3, TimeSpan.FromSeconds(1));
        var logger = _context.Environment.LoggerFactoryOrNull.CreateLogger(StreamingLog.JobCategory);
        while (true)
        {
            try
            {
                var finished = await RunAttemptAsync().ConfigureAwait(false);
                _state = finished ? ApplicationTaskState.Finished : ApplicationTaskState.Stopped;
                return;
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                _state = ApplicationTaskState.Stopped;
                return;
            }
            catch (Exception e) when (FencedCause(e) is { } fenced)
            {
                // Not a failure to retry: the task is another instance's now, and a new attempt would be refused again.
                _state = ApplicationTaskState.Stopped;
                _fenced?.Invoke(Id, fenced);
                return;
            }
            catch (Exception e)
            {
                var delay = strategy.DelayBeforeRestart(Restarts + 1);
                _context.ExceptionHistory?.Add(e, Name, restarted: delay is not null);
                if (delay is null)
                {
                    logger.JobRestartsExhausted(e, Name, Restarts, strategy.ToString());
                    _state = ApplicationTaskState.Failed;
                    throw new InvalidOperationException($"{Name} failed and its restart strategy allows no further attempt: {e.Message}", e);
                }

                Restarts++;
                LastRestartCause = e;
                logger.JobRestarting(e, Name, Restarts, (long)delay.Value.TotalMilliseconds, strategy.ToString());
                _state = ApplicationTaskState.Restarting;
                await Task.Delay(delay.Value, _stopping.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One attempt; true when the task's bounded inputs ended, false when it was stopped.</summary>
    private async Task<bool> RunAttemptAsync()
    {
        _state = ApplicationTaskState.Restoring;
        _commitFailure = null;
        var app = _context.Application;
        using var producer = _context.IsAtLeastOnce
            ? ApplicationTaskProducer.ForAtLeastOnce(_context.ApplicationId, Id.ToString(), app.BootstrapServers, app.ClientProperties, _context.RequestTimeout, CommitOffsets)
            : new ApplicationTaskProducer(_context.ApplicationId, Id.ToString(), app.BootstrapServers, app.ClientProperties, _context.RequestTimeout);
        try
        {
            var endpoints = new KafkaRepartitionEndpoints(_context.ApplicationId, Id.Partition, _context.TasksPerSubTopology, _context.RepartitionPartitions, _context.ConsumerConfig, producer, _context.RequestTimeout);
            var nodes = ApplicationTaskGraph.Build(_context.Topology, Id.SubTopology, Id.Partition, _context.RepartitionPartitions, _context.Environment.MaxParallelism, endpoints);
            var changelogs = ApplicationTaskGraph.ChangelogTopics(_context.ApplicationId, nodes);
            var existing = _context.Topics.PartitionCounts(changelogs.Values);
            var partitions = _context.TasksPerSubTopology[Id.SubTopology];
            foreach (var (topic, count) in existing)
            {
                if (count != partitions)
                {
                    throw new InvalidOperationException($"The changelog topic '{topic}' has {count} partitions; sub-topology {Id.SubTopology} has {partitions} tasks. It was created by hand or by a job with other input topics.");
                }
            }

            // Operators that keep state are known from the graph: their changelogs are created now, so that a commit
            // (which holds the task's checkpoint coordinator) rarely has to wait for the cluster to create a topic.
            foreach (var node in nodes.Where(static n => n.Inputs.Count == 0 || n.KeyType is not null))
            {
                _context.Topics.Ensure(changelogs[node.Uid], partitions, compacted: true);
            }

            Copy.CatchUp(changelogs.Where(c => existing.ContainsKey(c.Value)).ToDictionary(StringComparer.Ordinal), Id.Partition, _context.ConsumerConfig, _context.RequestTimeout, _stopping.Token);
            _saveCopy?.Invoke(Id, Copy);
            var sections = Copy.Sections;

            string ChangelogOf(string uid)
            {
                var topic = changelogs[uid];
                _context.Topics.Ensure(topic, partitions, compacted: true);
                return topic;
            }

            var backends = new Dictionary<IChangelogKeyedStateBackend, int>(ReferenceEqualityComparer.Instance);
            var backendCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            var stateBackend = new ChangelogStateBackend(
                _context.Environment.StateBackend,
                created: backend =>
                {
                    int index;
                    lock (backends)
                    {
                        index = backendCounts.GetValueOrDefault(backend.OperatorUid);
                        backendCounts[backend.OperatorUid] = index + 1;
                        backends[backend] = index;
                    }

                    foreach (var (state, key, value) in Copy.EntriesOf(backend.OperatorUid, index))
                    {
                        backend.ApplyChange(state, key, value);
                    }
                },
                drainAtSnapshot: (backend, changes) =>
                {
                    if (changes.Count == 0)
                    {
                        return;
                    }

                    int index;
                    lock (backends)
                    {
                        index = backends[backend];
                    }

                    var topic = ChangelogOf(backend.OperatorUid);
                    foreach (var change in changes)
                    {
                        foreach (var record in change.Records)
                        {
                            producer.Produce(topic, Id.Partition, OperatorChangelogKey.ForState(index, change.StateName, record.Key).Encode(), record.Value);
                        }
                    }
                });

            var options = _context.Environment with
            {
                Parallelism = 1,
                Application = null,
                RestoreFromSavepoint = null,
                StateBackend = stateBackend,
                TaskProducer = producer.Producer,
                QueryablePart = (Id.Partition, _context.TasksPerSubTopology[Id.SubTopology]),
                Checkpointing = new CheckpointingOptions
                {
                    Directory = Path.Combine(app.StateDirectory, _context.ApplicationId, Id.ToString()),
                    Interval = app.CommitInterval,
                    Timeout = TimeSpan.FromTicks(Math.Max(_context.RequestTimeout.Ticks * 2, app.CommitInterval.Ticks * 4)),
                    Mode = CheckpointingMode.ExactlyOnce,
                    RestartStrategy = Jobs.RestartStrategy.None,
                },
            };
            var restored = sections.ToDictionary(static s => s.Key, static s => new RestoredOperatorState(0, [s.Value]), StringComparer.Ordinal);
            // After each commit the copy takes in what the task committed to its changelogs, so that a later restore here —
            // after a rebalance or, from the copy saved on disk, a restart — reads only what was written after it.
            var uidOfTopic = changelogs.ToDictionary(static c => c.Value, static c => c.Key, StringComparer.Ordinal);
            var nextSave = DateTime.UtcNow + CopySaveInterval;
            void Committed()
            {
                var (writes, lastOffsets) = producer.TakeCommittedChangelogWrites();
                Copy.ApplyCommitted(writes, lastOffsets, uidOfTopic);
                if (_saveCopy is not null && DateTime.UtcNow >= nextSave)
                {
                    _saveCopy(Id, Copy);
                    nextSave = DateTime.UtcNow + CopySaveInterval;
                }
            }

            _store = new TaskCommitStore(producer, Id.Partition, ChangelogOf, OffsetsOfSources(nodes), sections, FailAttempt, Committed);
            JobRun run;
            lock (_lock)
            {
                _stopping.Token.ThrowIfCancellationRequested();
                run = ExecutionPlanner.Plan(Name, nodes, options, restored, restoredCheckpointId: 0, statistics: null, _store, holdUntilCheckpointComplete: true);
                _run = run;
            }

            run.Start();
            _state = ApplicationTaskState.Running;
            try
            {
                await run.Completion.ConfigureAwait(false);
                if (_stopping.IsCancellationRequested)
                {
                    // Stopped after a last commit (at-least-once, StopAsync): the run ended at that commit's barrier.
                    _store.Close();
                    producer.Abort();
                    _saveCopy?.Invoke(Id, Copy);
                    return false;
                }

                return true;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopped: what the task wrote since its last commit is given up; its next owner redoes it.
                _store.Close();
                producer.Abort();
                _saveCopy?.Invoke(Id, Copy);
                return false;
            }
            catch (OperationCanceledException) when (_commitFailure is not null)
            {
                throw _commitFailure;
            }
        }
        catch
        {
            _store?.Close();
            producer.Abort();
            throw;
        }
        finally
        {
            lock (_lock)
            {
                _run = null;
            }
        }
    }

    /// <summary>
    /// At-least-once: commits the task's input offsets with the generation it was assigned in. Runs on the task's
    /// checkpoint coordinator, which commits synchronously (as an exactly-once commit blocks on its transaction).
    /// </summary>
    private void CommitOffsets(IReadOnlyList<TopicPartitionOffset> offsets)
    {
        var plain = new (string Topic, int Partition, long Offset)[offsets.Count];
        for (var i = 0; i < offsets.Count; i++)
        {
            plain[i] = (offsets[i].Topic, offsets[i].Partition.Value, offsets[i].Offset.Value);
        }

        // Not cancelled by a stop: a stopping task's last commit runs after the stop began, and the request timeout bounds it.
        _context.OffsetCommitter!.CommitAsync(_generation!, plain, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The group's refusal of the task's offsets, if that is what <paramref name="failure"/> comes from.</summary>
    private static OffsetCommitFencedException? FencedCause(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is OffsetCommitFencedException fenced)
            {
                return fenced;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FencedCause(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }

    private void FailAttempt(Exception failure)
    {
        _commitFailure ??= failure;
        lock (_lock)
        {
            _run?.Cancel();
        }
    }

    /// <summary>Per source uid of the task's graph: the input offsets a position of it stands for.</summary>
    private Dictionary<string, Func<byte[], IEnumerable<TopicPartitionOffset>>> OffsetsOfSources(IReadOnlyList<Transformation> nodes)
    {
        var offsets = new Dictionary<string, Func<byte[], IEnumerable<TopicPartitionOffset>>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (node.Inputs.Count > 0 || node.SourceTopic is not { } topic)
            {
                continue;
            }

            offsets[node.Uid] = _context.RepartitionPartitions.ContainsKey(topic)
                ? position => [new TopicPartitionOffset(topic, Id.Partition, RepartitionReaderPosition.Decode(position).NextOffset)]
                : position => PartitionOffsetsPosition.Decode(position, "Kafka source").Select(p => new TopicPartitionOffset(topic, p.Partition, p.Offset));
        }

        return offsets;
    }
}
