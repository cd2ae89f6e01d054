using System.Globalization;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// The story the application-mode demo tells, as decisions over what it observes (no I/O). Once every instance runs
/// its share of the tasks, results have been committed and <see cref="KillAt"/> has passed: kill one instance with
/// SIGKILL. Report when the survivors run all of its tasks (its group session timed out, the group rebalanced, the
/// tasks restored their state from the changelogs). <see cref="Pause"/> later, start it again under the same name
/// and report when it runs its share again. With a single instance there are no survivors: it is started again after
/// the pause and takes its tasks back from the changelogs. Nothing is killed or started once the run is ending.
/// Not thread-safe: the demo's loop owns it.
/// </summary>
internal sealed class FailoverScenario
{
    /// <summary>How long the survivors run the killed instance's tasks before it is started again.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(3);

    private readonly int _instances;
    private readonly int _tasks;
    private Phase _phase = Phase.Starting;
    private TimeSpan _killedAt;
    private TimeSpan _settledAt;
    private TimeSpan _restartedAt;
    private IReadOnlyList<string> _victimTasks = [];
    private Dictionary<string, string> _ownersBeforeKill = [];

    /// <param name="instances">How many instances the demo runs.</param>
    /// <param name="tasks">How many tasks the application has (sub-topologies × partitions).</param>
    /// <param name="killAt">The earliest time into the run to kill an instance.</param>
    public FailoverScenario(int instances, int tasks, TimeSpan killAt)
    {
        _instances = instances;
        _tasks = tasks;
        Victim = instances / 2;
        KillAt = killAt;
    }

    private enum Phase
    {
        Starting,
        Running,
        Killed,
        Moved,
        Restarted,
        Done,
    }

    /// <summary>The index of the instance that is killed: the middle one.</summary>
    public int Victim { get; }

    /// <summary>The earliest time into the run to kill it.</summary>
    public TimeSpan KillAt { get; }

    /// <summary>True once the killed instance's tasks run elsewhere (or, alone, on it again).</summary>
    public bool TasksMoved => _phase >= Phase.Moved;

    /// <summary>
    /// The next decision, given the time into the run, every instance (index = instance), the windows committed to the
    /// output so far and whether the run is ending (then nothing is killed or started).
    /// </summary>
    public ScenarioStep Advance(TimeSpan elapsed, IReadOnlyList<InstanceObservation> instances, long windowsCommitted, bool ending)
    {
        var events = new List<string>();
        var action = ScenarioAction.None;
        switch (_phase)
        {
            case Phase.Starting when AllTasksRun(instances):
                var share = _instances == 1
                    ? $"{instances[0].Name} runs all {_tasks} tasks"
                    : $"All {_instances} instances run their share of the {_tasks} tasks ({string.Join(", ", instances.Select(static i => $"{i.Name}: {i.RunningTasks.Count}"))})";
                events.Add(string.Create(CultureInfo.InvariantCulture, $"{share}, generation {Generation(instances)}."));
                _phase = Phase.Running;
                break;

            case Phase.Running when !ending && elapsed >= KillAt && windowsCommitted > 0 && AllTasksRun(instances):
                var victim = instances[Victim];
                _victimTasks = victim.RunningTasks.Select(static t => t.TaskId).ToArray();
                _ownersBeforeKill = instances.SelectMany(static i => i.RunningTasks.Select(t => (t.TaskId, i.Name))).ToDictionary(static o => o.TaskId, static o => o.Name, StringComparer.Ordinal);
                _killedAt = elapsed;
                action = ScenarioAction.Kill;
                events.Add(_instances == 1
                    ? $"SIGKILL {victim.Name} (pid {victim.ProcessId}), which ran {string.Join(' ', _victimTasks)}; no other instance runs, so they wait until it is back."
                    : $"SIGKILL {victim.Name} (pid {victim.ProcessId}), which ran {string.Join(' ', _victimTasks)}; they move to the others once its session times out ({DemoInstanceCommand.SessionTimeout.TotalSeconds:0} s).");
                _phase = Phase.Killed;
                break;

            case Phase.Killed when _instances == 1:
                if (!ending && elapsed >= _killedAt + Pause)
                {
                    action = ScenarioAction.Restart;
                    _restartedAt = elapsed;
                    _phase = Phase.Restarted;
                }

                break;

            case Phase.Killed when AllTasksRun(Survivors(instances)):
                var moves = Survivors(instances)
                    .Select(s => (s.Name, Moved: s.RunningTasks.Where(t => _victimTasks.Contains(t.TaskId)).ToArray()))
                    .Where(static m => m.Moved.Length > 0)
                    .ToArray();
                var restored = moves.Sum(static m => m.Moved.Sum(static t => t.RestoredRecords));
                events.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Tasks moved {(elapsed - _killedAt).TotalSeconds:0.0} s after the kill: {string.Join("; ", moves.Select(static m => $"{string.Join(' ', m.Moved.Select(static t => t.TaskId))} → {m.Name}"))} (generation {Generation(Survivors(instances))}; {restored:N0} changelog records restored)."));

                // The assignor may also move survivors' tasks between them; say so, or the table would seem to contradict the sentence.
                var reshuffled = Survivors(instances)
                    .Select(s => (s.Name, Moved: s.RunningTasks.Select(static t => t.TaskId).Where(t => !_victimTasks.Contains(t) && _ownersBeforeKill.GetValueOrDefault(t) is { } before && before != s.Name).ToArray()))
                    .Where(static m => m.Moved.Length > 0)
                    .ToArray();
                if (reshuffled.Length > 0)
                {
                    events.Add($"The rebalance also moved tasks between the survivors: {string.Join("; ", reshuffled.Select(static m => $"{string.Join(' ', m.Moved)} → {m.Name}"))}.");
                }
                _settledAt = elapsed;
                _phase = Phase.Moved;
                break;

            case Phase.Moved when !ending && elapsed >= _settledAt + Pause:
                action = ScenarioAction.Restart;
                _restartedAt = elapsed;
                _phase = Phase.Restarted;
                break;

            case Phase.Restarted when instances[Victim].Alive && AllTasksRun(instances):
                var back = instances[Victim].RunningTasks;
                events.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{instances[Victim].Name} runs its share again {(elapsed - _restartedAt).TotalSeconds:0.0} s after its restart: {string.Join(' ', back.Select(static t => t.TaskId))} (generation {Generation(instances)}; {back.Sum(static t => t.RestoredRecords):N0} changelog records restored)."));
                _phase = Phase.Done;
                break;
        }

        return new ScenarioStep(action, Victim, events);
    }

    private static int Generation(IEnumerable<InstanceObservation> instances) =>
        instances.Where(static i => i.Alive && i.Status is not null).Select(static i => i.Status!.Generation).DefaultIfEmpty(-1).Max();

    private IEnumerable<InstanceObservation> Survivors(IReadOnlyList<InstanceObservation> instances) =>
        instances.Where((_, index) => index != Victim);

    /// <summary>True when the live instances among <paramref name="instances"/> run every task exactly once between them, all settled, and each runs at least one.</summary>
    private bool AllTasksRun(IEnumerable<InstanceObservation> instances)
    {
        var live = instances.Where(static i => i.Alive).ToArray();
        if (live.Length == 0 || !live.All(static i => i.Settled && i.RunningTasks.Count > 0))
        {
            return false;
        }

        var running = live.SelectMany(static i => i.RunningTasks.Select(static t => t.TaskId)).ToArray();
        return running.Length == _tasks && running.Distinct(StringComparer.Ordinal).Count() == _tasks;
    }
}
