using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Membership;
using Freshet.Streaming.Application.Tasks;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Planning;
using Microsoft.Extensions.Logging;

namespace Freshet.Streaming.Application.Instance;

/// <summary>
/// One instance (process) of an application: joins the application's group as a <see cref="GroupMember"/>, computes
/// the assignment with <see cref="TaskAssignor"/> when it leads, and runs the <see cref="ApplicationTask"/>s it is
/// given, active or as standby replicas (<see cref="StandbyTask"/>). A rebalance revokes every task (the classic
/// protocol's eager rebalancing); the callbacks only start and stop tasks — restoring and processing happen on the
/// tasks' own threads — so a slow restore never holds up the group. The instance keeps its copy of each task's
/// changelogs (<see cref="TaskChangelogCopy"/>) across rebalances while it is assigned the task in either role, so a
/// task that stays, comes back or is promoted from standby replays only its changelogs' tail. A task started again
/// here waits until its earlier run or standby here has stopped; on another instance its producer fences this one's.
/// <para>
/// Startup, before joining: the graph is cut (<see cref="ApplicationTopology"/>), the source topics' partition counts
/// are read and the repartition topics created. Refused with a clear error: a graph that cannot run in application
/// mode, a missing source topic, input topics that are not co-partitioned, an internal topic with the wrong partition
/// count, a broker without the group APIs, and — from the group's leader — a job graph whose fingerprint differs from
/// the group's (the error names both), or a processing guarantee other than the group's: the guarantee is part of the
/// fingerprint the members compare (<see cref="GroupFingerprint"/>), because an exactly-once instance beside
/// at-least-once ones would read their non-transactional writes as committed and promise what the group cannot keep.
/// </para>
/// Thread-safety: the listener methods run on the member's loop; status and control from any thread.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The member is stopped when the instance stops (leave on cancel, dispose on failure) and the lag refresh is cancelled then; a handle is not disposable.")]
internal sealed class ApplicationInstance : IJobControl, IGroupMemberListener
{
    private readonly object _lock = new();
    private readonly ApplicationOptions _options;
    private readonly StreamEnvironmentOptions _environment;
    private readonly IReadOnlyList<Transformation> _nodes;
    private readonly Guid _processId = Guid.NewGuid();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<TaskId, ApplicationTask> _tasks = [];
    private readonly Dictionary<TaskId, Task> _stopping = [];
    private readonly Dictionary<TaskId, StandbyTask> _standbys = [];
    private readonly Dictionary<TaskId, Task> _standbysStopping = [];
    private readonly Dictionary<TaskId, TaskChangelogCopy> _copies = [];
    private IReadOnlyList<TaskId> _lastActive = [];
    private IReadOnlyList<TaskId> _lastStandby = [];
    private readonly CancellationTokenSource _lagStopping = new();
    private readonly ILogger _logger;
    private ApplicationContext? _context;
    private TaskInputLag? _inputLag;
    private LocalCopies? _localCopies;
    private GroupMember? _member;
    private GroupOffsetCommitter? _offsetCommitter;
    private TaskId[] _allTasks = [];
    private int _generation = -1;
    private int _rebalances;
    private JobStatus _status = JobStatus.Running;
    private bool _cancelled;
    private readonly JobExceptionHistory _exceptionHistory;
    private JobGraphDescription? _jobGraph;

    public ApplicationInstance(string jobName, IReadOnlyList<Transformation> nodes, StreamEnvironmentOptions environment)
    {
        _exceptionHistory = new JobExceptionHistory(environment.Clock);
        JobName = jobName;
        _nodes = nodes;
        _environment = environment;
        _options = environment.Application!;
        _logger = environment.LoggerFactoryOrNull.CreateLogger(StreamingLog.ApplicationCategory);
        Topology = ApplicationTopology.Build(_options.ApplicationId, nodes);
    }

    public string JobName { get; }

    public ApplicationTopology Topology { get; }

    /// <summary>
    /// What members of the group compare: the job graph's fingerprint, with <c>+at-least-once</c> appended under
    /// at-least-once, so that instances of one application all run the same graph with the same guarantee.
    /// </summary>
    public string GroupFingerprint => _options.ProcessingGuarantee == Sinks.DeliveryGuarantee.AtLeastOnce ? Topology.Fingerprint + AtLeastOnceSuffix : Topology.Fingerprint;

    private const string AtLeastOnceSuffix = "+at-least-once";

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

    public CheckpointRestore? RestoredFrom => null;

    public Exception? LastRestartCause
    {
        get
        {
            lock (_lock)
            {
                return _tasks.Values.Select(static t => t.LastRestartCause).LastOrDefault(static e => e is not null);
            }
        }
    }

    /// <summary>Prepares the application's topics and joins its group; throws when the application cannot start here.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        StartTime = _environment.Clock.GetUtcNow();
        KafkaNativeLibrary.EnsureLoaded();
        var timeout = TimeSpan.FromSeconds(30);
        // Its metadata requests must not create topics: on a cluster with auto.create.topics.enable (Kafka's default) a
        // lookup of a changelog not yet created would create it with num.partitions, and the task would refuse it.
        var admin = new AdminClientBuilder(new AdminClientConfig(_options.ClientProperties?.ToDictionary() ?? []) { BootstrapServers = _options.BootstrapServers, AllowAutoCreateTopics = false }).Build();
        var topics = new InternalTopics(admin, _options.ReplicationFactor, timeout);
        try
        {
            var sourceTopics = Topology.SubTopologies.SelectMany(static s => s.SourceTopics).Distinct(StringComparer.Ordinal).ToArray();
            var (tasksPerSubTopology, repartition) = Topology.CountTasks(topics.PartitionCounts(sourceTopics), _options.RepartitionPartitions);
            foreach (var (topic, partitions) in repartition)
            {
                topics.Ensure(topic, partitions, compacted: false);
            }

            var memberOptions = new GroupMemberOptions
            {
                GroupId = _options.ApplicationId,
                BootstrapServers = _options.BootstrapServers,
                GroupInstanceId = _options.GroupInstanceId,
                SessionTimeout = _options.SessionTimeout,
                HeartbeatInterval = _options.HeartbeatInterval,
                RebalanceTimeout = _options.RebalanceTimeout,
                ClientId = $"{_options.ApplicationId}-{_processId:N}",
                CommitsOffsets = _options.ProcessingGuarantee == Sinks.DeliveryGuarantee.AtLeastOnce,
                Security = Membership.Security.ClientSecurity.FromProperties(_options.ClientProperties),
            };
            _offsetCommitter = memberOptions.CommitsOffsets ? new GroupOffsetCommitter(memberOptions with { RequestTimeout = timeout }) : null;
            _context = new ApplicationContext(_options, _environment, Topology, tasksPerSubTopology, repartition, topics) { RequestTimeout = timeout, OffsetCommitter = _offsetCommitter, ExceptionHistory = _exceptionHistory };
            _inputLag = new TaskInputLag(admin, _options.ApplicationId, Topology, timeout);
            _allTasks = Topology.SubTopologies.SelectMany(s => Enumerable.Range(0, tasksPerSubTopology[s.Id]).Select(p => new TaskId(s.Id, p))).ToArray();
            _localCopies = new LocalCopies(_options, Topology.Fingerprint);
            foreach (var (id, copy) in _localCopies.LoadAll(_allTasks))
            {
                _copies[id] = copy;
            }

            _member = new GroupMember(memberOptions, this);
            await _member.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            topics.Dispose();
            _localCopies?.Dispose();
            if (_offsetCommitter is not null)
            {
                await _offsetCommitter.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        _ = _inputLag.RunAsync(RunningTasks, _lagStopping.Token);
        _ = _member.Completion.ContinueWith(MemberStopped, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public IReadOnlyList<OperatorMetrics> GetMetrics() => [];

    /// <summary>When <see cref="StartAsync"/> was called, on the job's clock.</summary>
    public DateTimeOffset StartTime { get; private set; }

    /// <summary>The application's job graph as written (not cut into sub-topologies), at the environment's parallelism.</summary>
    public JobGraphDescription GetJobGraph() => _jobGraph ??= JobGraphDescriber.Describe(_nodes);

    /// <summary>Empty: this instance runs application tasks, which <see cref="GetStatus"/> describes.</summary>
    public IReadOnlyList<TaskMetrics> GetTaskMetrics() => [];

    /// <summary>Empty: an application task's commits are not checkpoints of the job.</summary>
    public IReadOnlyList<CheckpointHistoryEntry> GetCheckpointHistory() => [];

    /// <summary>The failures of this instance's application tasks that restarted or failed them.</summary>
    public IReadOnlyList<JobExceptionEntry> GetExceptionHistory() => _exceptionHistory.Snapshot();

    public CheckpointMetrics GetCheckpointMetrics()
    {
        lock (_lock)
        {
            var commits = _tasks.Values.Sum(static t => t.Commits);
            return new CheckpointMetrics(commits, 0, 0, 0, 0, 0, _tasks.Values.Sum(static t => t.Restarts));
        }
    }

    public ApplicationInstanceStatus GetStatus()
    {
        lock (_lock)
        {
            return new ApplicationInstanceStatus(
                _options.ApplicationId,
                Topology.Fingerprint,
                _generation,
                _rebalances,
                _tasks.Values.OrderBy(static t => t.Id).Select(t => new ApplicationTaskStatus(t.Id.ToString(), t.State, t.RestoredRecords, t.Commits, t.Restarts, _inputLag?.Of(t.Id) ?? -1)).ToArray(),
                _standbys.Values.OrderBy(static t => t.Id).Select(static t => new ApplicationStandbyStatus(t.Id.ToString(), t.AppliedRecords, t.Lag)).ToArray());
        }
    }

    public Task<string> TriggerSavepointAsync(string directory) => throw SavepointsRefused();

    public Task<string> StopWithSavepointAsync(string directory) => throw SavepointsRefused();

    /// <summary>Stops this instance: leaves the group so its tasks move at once (a static member leaves too), and stops its tasks.</summary>
    public void Cancel()
    {
        lock (_lock)
        {
            if (_cancelled || _completion.Task.IsCompleted)
            {
                return;
            }

            _cancelled = true;
            _status = JobStatus.Cancelling;
        }

        // Tasks stop first (their open transactions aborted), so the instances that take them over need not wait for
        // this one's transactions to time out; then the group hears at once that this instance is gone.
        _ = Task.Run(async () =>
        {
            try
            {
                await StopAllTasksAsync().ConfigureAwait(false);
                if (_member is not null)
                {
                    await _member.LeaveAsync(leaveGroupEvenIfStatic: true, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                Finish(null);
            }
        });
    }

    byte[] IGroupMemberListener.SubscriptionMetadata()
    {
        // The tasks of the last assignment (revoked by now: the classic protocol revokes before rejoining) and the
        // warmth of every copy this instance holds, so the leader keeps tasks where they were and where state is.
        lock (_lock)
        {
            var warmth = _copies.Where(static c => c.Value.OffsetSum > 0).ToDictionary(static c => c.Key, static c => c.Value.OffsetSum);
            return new MemberSubscription(_processId, GroupFingerprint, _lastActive, _lastStandby, warmth, null).Encode();
        }
    }

    IReadOnlyDictionary<string, byte[]> IGroupMemberListener.Assign(IReadOnlyList<GroupMemberMetadata> members)
    {
        var decoded = new List<(string MemberId, MemberSubscription Subscription)>();
        var unreadable = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            try
            {
                decoded.Add((member.MemberId, MemberSubscription.Decode(member.Metadata)));
            }
            catch (InvalidDataException)
            {
                unreadable[member.MemberId] = new TaskAssignment(AssignmentError.UnreadableSubscription, GroupFingerprint, [], []).Encode();
            }
        }

        var assignments = TaskAssignor.Assign(_allTasks, decoded, _options.NumStandbyReplicas, GroupFingerprint);
        var result = new Dictionary<string, byte[]>(unreadable, StringComparer.Ordinal);
        foreach (var (memberId, assignment) in assignments)
        {
            result[memberId] = assignment.Encode();
        }

        _logger.ApplicationAssignmentComputed(_options.ApplicationId, _allTasks.Length, members.Count);
        return result;
    }

    void IGroupMemberListener.OnAssigned(GroupGeneration generation, byte[] assignment)
    {
        var decoded = TaskAssignment.Decode(assignment);
        switch (decoded.Error)
        {
            case AssignmentError.TopologyMismatch:
                throw new InvalidOperationException(MismatchMessage(decoded.GroupFingerprint));
            case AssignmentError.UnreadableSubscription:
                throw new InvalidOperationException($"The leader of application '{_options.ApplicationId}' could not read this instance's metadata: it runs another version of Freshet.");
        }

        lock (_lock)
        {
            _generation = generation.GenerationId;
            _rebalances++;
            if (_cancelled || _completion.Task.IsCompleted)
            {
                // Stopping: the tasks will be reassigned once this instance has left.
                return;
            }

            _lastActive = decoded.ActiveTasks;
            _lastStandby = decoded.StandbyTasks;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.ApplicationTasksAssigned(_options.ApplicationId, generation.GenerationId, string.Join(", ", decoded.ActiveTasks), string.Join(", ", decoded.StandbyTasks));
            }

            foreach (var id in _copies.Keys.Except(decoded.ActiveTasks).Except(decoded.StandbyTasks).ToList())
            {
                // Neither active nor standby here any more: the copy would only go stale.
                _copies.Remove(id);
                _localCopies!.Delete(id);
            }

            ReserveThreadPoolThreads(decoded.ActiveTasks.Count);
            foreach (var id in decoded.ActiveTasks)
            {
                var task = new ApplicationTask(_context!, id, CopyOf(id), _localCopies!.Save, generation, (_, _) => TaskFenced(generation));
                _tasks[id] = task;
                task.Start(after: PreviousUseOf(id));
                _ = task.Completion.ContinueWith(t => TaskEnded(task, t), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            foreach (var id in decoded.StandbyTasks)
            {
                var standby = new StandbyTask(_context!, id, CopyOf(id), _localCopies!.Save);
                _standbys[id] = standby;
                standby.Start(after: PreviousUseOf(id));
            }
        }
    }

    void IGroupMemberListener.OnRevoked(string reason)
    {
        var lastCommits = new List<Task>();
        lock (_lock)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.ApplicationTasksRevoked(_options.ApplicationId, reason, string.Join(", ", _tasks.Keys), string.Join(", ", _standbys.Keys));
            }

            _generation = -1;
            foreach (var (id, task) in _tasks)
            {
                _stopping[id] = task.StopAsync();
                lastCommits.Add(task.LastCommit);
            }

            foreach (var (id, standby) in _standbys)
            {
                _standbysStopping[id] = standby.StopAsync();
            }

            _tasks.Clear();
            _standbys.Clear();
        }

        if (_context is { IsAtLeastOnce: true } && lastCommits.Count > 0)
        {
            // At-least-once: the tasks' last commits carry the generation being revoked, which the coordinator accepts
            // only until this member's rejoin lets the group move to the next one; so the member waits for them here, as
            // Kafka's eager consumer commits in onPartitionsRevoked before it rejoins. Bounded well within the session
            // timeout (no heartbeat goes out meanwhile); a commit not done by then is processed again by the next owner.
            var bound = TimeSpan.FromTicks(Math.Min(_context.RequestTimeout.Ticks, _options.SessionTimeout.Ticks / 3));
            Task.WhenAll(lastCommits).Wait(bound);
        }
    }

    /// <summary>Why this instance may not join: its graph or its processing guarantee differs from the group's.</summary>
    private string MismatchMessage(string groupFingerprint)
    {
        var ours = GroupFingerprint;
        static string Graph(string fingerprint) => fingerprint.EndsWith(AtLeastOnceSuffix, StringComparison.Ordinal) ? fingerprint[..^AtLeastOnceSuffix.Length] : fingerprint;
        static string Guarantee(string fingerprint) => fingerprint.EndsWith(AtLeastOnceSuffix, StringComparison.Ordinal) ? "at-least-once" : "exactly-once";
        if (string.Equals(Graph(ours), Graph(groupFingerprint), StringComparison.Ordinal))
        {
            return $"This instance runs {Guarantee(ours)} (fingerprint {ours}); application '{_options.ApplicationId}' runs {Guarantee(groupFingerprint)} (fingerprint {groupFingerprint}). " +
                "Every instance of an application must use the same ProcessingGuarantee; stop the other instances before changing it.";
        }

        return $"This instance's job graph (fingerprint {ours}) differs from the one application '{_options.ApplicationId}' runs (fingerprint {groupFingerprint}). " +
            "Every instance of an application must run the same job; stop the other instances before starting a changed job, or give it another application id.";
    }

    /// <summary>
    /// A task's offsets were refused by the group: the task stopped. When the member still believes it holds the
    /// generation the task was assigned in, the coordinator knows better (the member was removed or the group moved
    /// on), so the member rejoins at once rather than at its next heartbeat. Called on the task's thread.
    /// </summary>
    private void TaskFenced(GroupGeneration assignedIn)
    {
        if (_member is { } member && member.Generation == assignedIn)
        {
            member.RequestRejoin();
        }
    }

    private TaskId[] RunningTasks()
    {
        lock (_lock)
        {
            return [.. _tasks.Keys];
        }
    }

    /// <summary>The copy of <paramref name="id"/>'s changelogs this instance holds, new (cold) if none. Under the lock.</summary>
    private TaskChangelogCopy CopyOf(TaskId id)
    {
        if (!_copies.TryGetValue(id, out var copy))
        {
            copy = new TaskChangelogCopy();
            _copies.Add(id, copy);
        }

        return copy;
    }

    /// <summary>Ends when this task's earlier run and standby on this instance have both stopped (they used its copy). Under the lock.</summary>
    private Task PreviousUseOf(TaskId id) => Task.WhenAll(_stopping.GetValueOrDefault(id) ?? Task.CompletedTask, _standbysStopping.GetValueOrDefault(id) ?? Task.CompletedTask);

    /// <summary>
    /// Each task's commit blocks a thread-pool thread while Kafka commits its transaction (the checkpoint coordinator
    /// commits synchronously), so an instance with many tasks could take every pool thread and starve the group
    /// member's heartbeats and the tasks' own completions. The pool's minimum grows with the tasks: two threads per
    /// task beyond what the process had.
    /// </summary>
    private static void ReserveThreadPoolThreads(int tasks)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = Environment.ProcessorCount + (2 * tasks) + 4;
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }

    private static InvalidOperationException SavepointsRefused() => new(
        "Application mode keeps each task's state in its changelog topics and its positions in the group's offsets, so it takes no savepoints; to move an application, start instances elsewhere with the same application id.");

    private void TaskEnded(ApplicationTask task, Task completion)
    {
        if (completion.IsFaulted)
        {
            // A task that failed for good stops the instance: the group moves all its tasks once its session ends.
            _ = _member?.DisposeAsync().AsTask();
            _ = StopAllTasksAsync().ContinueWith(_ => Finish(completion.Exception!.InnerException), TaskScheduler.Default);
        }
    }

    private void MemberStopped(Task member)
    {
        if (member.IsFaulted)
        {
            _ = StopAllTasksAsync().ContinueWith(_ => Finish(member.Exception!.InnerException), TaskScheduler.Default);
        }
    }

    private async Task StopAllTasksAsync()
    {
        Task[] stops;
        lock (_lock)
        {
            stops = [.. _tasks.Values.Select(static t => t.StopAsync()), .. _stopping.Values, .. _standbys.Values.Select(static t => t.StopAsync()), .. _standbysStopping.Values];
            _tasks.Clear();
            _standbys.Clear();
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    private void Finish(Exception? failure)
    {
        lock (_lock)
        {
            // Every task that fails for good finishes the instance, often at once: only the first may release the clients.
            if (_status is JobStatus.Failed or JobStatus.Cancelled)
            {
                return;
            }

            _status = failure is not null ? JobStatus.Failed : JobStatus.Cancelled;
        }

        _lagStopping.Cancel();
        _context?.Topics.Dispose();
        if (_offsetCommitter is not null)
        {
            _ = _offsetCommitter.DisposeAsync().AsTask();
        }

        _localCopies?.Dispose();
        if (failure is not null)
        {
            _logger.ApplicationInstanceFailed(failure, _options.ApplicationId);
            _completion.TrySetException(new JobExecutionException($"Application '{_options.ApplicationId}' stopped on this instance: {failure.Message}", failure));
        }
        else
        {
            _completion.TrySetCanceled();
        }
    }
}
