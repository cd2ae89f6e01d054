namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// The working state of one <see cref="TaskAssignor"/> run: the tasks, the members sorted by (process id, member id),
/// who runs each task and who keeps its standby copies. Every change goes through the methods here, which keep the
/// invariants: a task has at most one active member; a member's counts match the tasks placed on it; a process holds
/// at most one copy (active or standby) of a task. Not thread-safe: one run only.
/// </summary>
internal sealed class AssignmentPlan
{
    private readonly Dictionary<TaskId, AssignorMember> _activeOwner = [];
    private readonly Dictionary<TaskId, List<AssignorMember>> _standbyHolders = [];
    private readonly Dictionary<int, int> _taskCountBySubTopology = [];
    private readonly Dictionary<int, int> _subTopologyIndex = [];

    /// <param name="tasks">Distinct tasks, in task order.</param>
    /// <param name="members">At least one member, in (process id, member id) order, processes numbered densely.</param>
    public AssignmentPlan(IReadOnlyList<TaskId> tasks, IReadOnlyList<AssignorMember> members)
    {
        Tasks = tasks;
        Members = members;
        ProcessCount = members.Max(member => member.Process) + 1;
        SubTopologies = [.. tasks.Select(task => task.SubTopology).Distinct().Order()];
        foreach (var task in tasks)
        {
            _taskCountBySubTopology[task.SubTopology] = _taskCountBySubTopology.GetValueOrDefault(task.SubTopology) + 1;
        }

        for (var i = 0; i < SubTopologies.Count; i++)
        {
            _subTopologyIndex[SubTopologies[i]] = i;
        }
    }

    /// <summary>Every task of the application, in task order.</summary>
    public IReadOnlyList<TaskId> Tasks { get; }

    /// <summary>The members that get work, in (process id, member id) order.</summary>
    public IReadOnlyList<AssignorMember> Members { get; }

    /// <summary>The distinct sub-topologies among <see cref="Tasks"/>, ascending.</summary>
    public IReadOnlyList<int> SubTopologies { get; }

    public int ProcessCount { get; }

    /// <summary>The position of <paramref name="subTopology"/> in <see cref="SubTopologies"/>.</summary>
    public int IndexOf(int subTopology) => _subTopologyIndex[subTopology];

    /// <summary>How many tasks <paramref name="subTopology"/> has.</summary>
    public int TaskCount(int subTopology) => _taskCountBySubTopology.GetValueOrDefault(subTopology);

    public AssignorMember? ActiveOwner(TaskId task) => _activeOwner.GetValueOrDefault(task);

    public int StandbyCopies(TaskId task) => _standbyHolders.TryGetValue(task, out var holders) ? holders.Count : 0;

    public void AssignActive(TaskId task, AssignorMember member)
    {
        if (!_activeOwner.TryAdd(task, member))
        {
            throw new InvalidOperationException($"Task {task} already runs on {_activeOwner[task]}.");
        }

        member.AddActive(task);
    }

    /// <summary>
    /// Whether <paramref name="member"/> may take a standby copy of <paramref name="task"/>: its process runs the task
    /// nowhere and holds no other copy (not counting <paramref name="leaving"/>'s, which a move takes away).
    /// Call only once every task has its active member.
    /// </summary>
    public bool CanHoldStandby(AssignorMember member, TaskId task, AssignorMember? leaving = null) =>
        _activeOwner[task].Process != member.Process
        && !(_standbyHolders.TryGetValue(task, out var holders)
             && holders.Exists(holder => holder != leaving && holder.Process == member.Process));

    public void AddStandby(TaskId task, AssignorMember member)
    {
        if (!CanHoldStandby(member, task))
        {
            throw new InvalidOperationException($"Process of {member} already has a copy of task {task}.");
        }

        if (!_standbyHolders.TryGetValue(task, out var holders))
        {
            _standbyHolders[task] = holders = [];
        }

        holders.Add(member);
        member.Standby.Add(task);
    }

    public void MoveStandby(TaskId task, AssignorMember from, AssignorMember to)
    {
        if (!CanHoldStandby(to, task, leaving: from) || !from.Standby.Remove(task))
        {
            throw new InvalidOperationException($"Cannot move the standby of task {task} from {from} to {to}.");
        }

        _standbyHolders[task].Remove(from);
        AddStandby(task, to);
    }
}
