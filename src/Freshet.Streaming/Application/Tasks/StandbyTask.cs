using Confluent.Kafka;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Instance;
using Freshet.Streaming.Application.Topology;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// A standby replica of one application task (Kafka Streams' <c>num.standby.replicas</c>): while another instance runs
/// the task, this one follows the task's changelog partitions (read_committed under exactly-once, read_uncommitted
/// under at-least-once) and keeps its
/// <see cref="TaskChangelogCopy"/> current, so that taking the task over — when its owner dies or leaves — replays only
/// the few records the standby had not yet read instead of the whole changelog. A standby writes nothing and never
/// fails its instance: a failed read is retried after a pause. Changelog topics that do not exist yet (an operator
/// that has written nothing) are looked for again every two seconds.
/// <para>
/// Thread-safety: <see cref="Start"/> once; <see cref="StopAsync"/> and the status members from any thread. The copy is
/// the standby's alone until <see cref="StopAsync"/> completes.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The cancellation source has no timer or wait handle in use; nothing to release.")]
internal sealed class StandbyTask
{
    private static readonly TimeSpan TopicRefresh = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LagRefresh = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(10);
    private readonly ApplicationContext _context;
    private readonly Action<TaskId, TaskChangelogCopy>? _saveCopy;
    private readonly IReadOnlyDictionary<string, string> _changelogs;
    private readonly CancellationTokenSource _stopping = new();
    private Task _work = Task.CompletedTask;
    private long _appliedRecords;
    private long _lag = -1;

    /// <param name="saveCopy">Keeps the copy for a restart (on disk), called every <see cref="SaveInterval"/> and when the standby stops; never throws.</param>
    public StandbyTask(ApplicationContext context, TaskId id, TaskChangelogCopy copy, Action<TaskId, TaskChangelogCopy>? saveCopy = null)
    {
        _context = context;
        Id = id;
        Copy = copy;
        _saveCopy = saveCopy;
        _changelogs = ApplicationTaskGraph.ChangelogTopics(context.Topology, id.SubTopology, context.RepartitionPartitions, context.Environment.MaxParallelism);
    }

    public TaskId Id { get; }

    public TaskChangelogCopy Copy { get; }

    /// <summary>Changelog records applied since the standby started.</summary>
    public long AppliedRecords => Volatile.Read(ref _appliedRecords);

    /// <summary>Records of the followed changelog partitions not yet applied (as of the consumer's last fetch), or -1 before the first.</summary>
    public long Lag => Volatile.Read(ref _lag);

    /// <summary>Ends when the standby stopped.</summary>
    public Task Completion => _work;

    /// <summary>Starts following the changelogs once <paramref name="after"/> (whatever used the copy before: this task's active run or earlier standby here) has ended.</summary>
    public void Start(Task? after = null) => _work = Task.Factory.StartNew(
        async () =>
        {
            if (after is not null)
            {
                await after.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }

            await FollowAsync().ConfigureAwait(false);
            _saveCopy?.Invoke(Id, Copy);
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default).Unwrap();

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _work.ConfigureAwait(false);
    }

    private async Task FollowAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                Follow();
            }
#pragma warning disable CA1031 // A standby is best effort: whatever failed is retried, and taking the task over reads the changelogs anyway.
            catch (Exception) when (!_stopping.IsCancellationRequested)
#pragma warning restore CA1031
            {
                try
                {
                    await Task.Delay(RetryPause, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Follow()
    {
        using var consumer = TaskChangelogCopy.CreateConsumer(_context.ConsumerConfig);
        var followed = new List<TopicPartition>();
        var nextRefresh = DateTime.MinValue;
        var nextLag = DateTime.MinValue;
        var nextSave = DateTime.UtcNow + SaveInterval;
        while (!_stopping.IsCancellationRequested)
        {
            if (DateTime.UtcNow >= nextRefresh)
            {
                FollowNewTopics(consumer, followed);
                nextRefresh = DateTime.UtcNow + TopicRefresh;
            }

            if (followed.Count == 0)
            {
                _stopping.Token.WaitHandle.WaitOne(TopicRefresh);
                continue;
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false })
            {
                Copy.Apply(result);
                Interlocked.Increment(ref _appliedRecords);
            }

            if (_saveCopy is not null && DateTime.UtcNow >= nextSave)
            {
                _saveCopy(Id, Copy);
                nextSave = DateTime.UtcNow + SaveInterval;
            }

            if (DateTime.UtcNow >= nextLag)
            {
                Volatile.Write(ref _lag, LagOf(consumer, followed));
                nextLag = DateTime.UtcNow + LagRefresh;
            }
        }
    }

    /// <summary>The offsets between the consumer's positions and the ends it last heard of (no request to the cluster).</summary>
    private long LagOf(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> followed)
    {
        long lag = 0;
        foreach (var partition in followed)
        {
            // The consumer's position is past transaction markers and aborted records, which the copy never sees.
            var high = consumer.GetWatermarkOffsets(partition).High;
            var position = consumer.Position(partition);
            if (!high.IsSpecial)
            {
                lag += Math.Max(0, high.Value - (position.IsSpecial ? Copy.PositionOf(partition.Topic) : position.Value));
            }
        }

        return lag;
    }

    /// <summary>Adds the changelog topics that exist now and are not followed yet, at the copy's positions.</summary>
    private void FollowNewTopics(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> followed)
    {
        var missing = _changelogs.Where(c => !followed.Any(f => f.Topic == c.Value)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var existing = _context.Topics.PartitionCounts(missing.Select(static m => m.Value));
        foreach (var (uid, topic) in missing)
        {
            if (!existing.ContainsKey(topic))
            {
                continue;
            }

            var next = Copy.Track(topic, uid);
            var partition = new TopicPartition(topic, Id.Partition);
            consumer.IncrementalAssign([new TopicPartitionOffset(partition, next == 0 ? Offset.Beginning : new Offset(next))]);
            followed.Add(partition);
        }
    }
}
