namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// One member the <see cref="TaskAssignor"/> gives work to: what it reported (<see cref="Subscription"/>) and the
/// tasks placed on it so far. <see cref="Order"/> is its rank among the members sorted by process id then member id,
/// the tie-break that makes the assignor independent of the order members arrive in. Not thread-safe: one
/// assignment run only.
/// </summary>
internal sealed class AssignorMember
{
    private readonly HashSet<TaskId> _previousActive;
    private readonly HashSet<TaskId> _previousStandby;
    private readonly Dictionary<int, int> _activeBySubTopology = [];

    public AssignorMember(string memberId, MemberSubscription subscription, int order, int process)
    {
        MemberId = memberId;
        Subscription = subscription;
        Order = order;
        Process = process;
        _previousActive = [.. subscription.ActiveTasks];
        _previousStandby = [.. subscription.StandbyTasks];
    }

    public string MemberId { get; }

    public MemberSubscription Subscription { get; }

    /// <summary>Rank in (process id, member id) order; unique within one run.</summary>
    public int Order { get; }

    /// <summary>Dense index of the member's process; members with the same process id share it.</summary>
    public int Process { get; }

    /// <summary>The tasks placed on this member to run, kept in task order.</summary>
    public SortedSet<TaskId> Active { get; } = [];

    /// <summary>The tasks placed on this member to keep standby copies of, kept in task order.</summary>
    public SortedSet<TaskId> Standby { get; } = [];

    public bool RanActive(TaskId task) => _previousActive.Contains(task);

    public bool HeldStandby(TaskId task) => _previousStandby.Contains(task);

    /// <summary>
    /// How much state the member has for <paramref name="task"/>: its reported changelog offset sum, 0 if it ran or
    /// kept a copy of the task without reporting a sum, null if it has none. Larger is warmer.
    /// </summary>
    public long? Warmth(TaskId task) =>
        Subscription.TaskOffsetSums.TryGetValue(task, out var sum) ? sum
        : RanActive(task) || HeldStandby(task) ? 0
        : null;

    /// <summary>Whether warmth <paramref name="candidate"/> beats <paramref name="incumbent"/>: some state beats none, more beats less.</summary>
    public static bool IsWarmer(long? candidate, long? incumbent) =>
        candidate is { } more && (incumbent is not { } less || more > less);

    public int ActiveIn(int subTopology) => _activeBySubTopology.GetValueOrDefault(subTopology);

    public void AddActive(TaskId task)
    {
        Active.Add(task);
        _activeBySubTopology[task.SubTopology] = ActiveIn(task.SubTopology) + 1;
    }

    public override string ToString() => MemberId;
}
