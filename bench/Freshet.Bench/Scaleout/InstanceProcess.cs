using System.Globalization;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// One application instance of <see cref="ScaleoutJob"/>: <see cref="ScaleoutInstanceCommand"/> in a child process,
/// with its last reported <see cref="InstanceStatus"/> and its <see cref="RestoreEvent"/>s parsed from its output.
/// Thread-safe: the output is parsed on the child's reader thread.
/// </summary>
internal sealed class InstanceProcess : IDisposable
{
    private readonly object _lock = new();
    private readonly List<RestoreEvent> _restores = [];
    private readonly List<(int Generation, long FirstSeenMs)> _generations = [];
    private ChildProcess? _child;
    private InstanceStatus? _latest;
    private volatile bool _joined;

    private InstanceProcess(string name) => Name = name;

    public string Name { get; }

    public bool Joined => _joined;

    public bool HasExited => _child!.HasExited;

    /// <summary>CPU seconds the process has used so far; read it before the process ends.</summary>
    public double CpuSeconds => _child!.CpuSeconds;

    /// <summary>The last lines the process wrote.</summary>
    public string Tail => _child!.Tail;

    public InstanceStatus? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    public IReadOnlyList<RestoreEvent> Restores
    {
        get
        {
            lock (_lock)
            {
                return [.. _restores];
            }
        }
    }

    /// <summary>When (Unix ms) the instance first reported a generation after <paramref name="generation"/>, or null.</summary>
    public long? FirstReportAfter(int generation)
    {
        lock (_lock)
        {
            foreach (var (seen, at) in _generations)
            {
                if (seen > generation)
                {
                    return at;
                }
            }

            return null;
        }
    }

    /// <summary>Starts an instance named <paramref name="name"/> (also its group instance id under static membership), with a state directory of its own under <paramref name="stateParent"/>.</summary>
    public static InstanceProcess Start(string name, ApplicationRun run, InstanceSettings settings, string stateParent)
    {
        var instance = new InstanceProcess(name);
        var state = Path.Combine(stateParent, name);
        string[] arguments =
        [
            "--bootstrap", run.BootstrapServers,
            "--app", run.ApplicationId,
            "--input", run.InputTopic,
            "--output", run.OutputTopic,
            "--state", state,
            "--name", name,
            .. run.Shape.ToArguments(),
            .. settings.ToArguments(),
        ];
        instance._child = ChildProcess.Start(name, ScaleoutInstanceCommand.Name, arguments, instance.OnLine);
        return instance;
    }

    /// <summary>SIGKILL.</summary>
    public void Kill() => _child!.Kill();

    /// <summary>SIGTERM (the instance leaves the group) and waits for it to exit; returns its exit code.</summary>
    public int Terminate() => _child!.Terminate(TimeSpan.FromSeconds(60));

    public void Dispose() => _child?.Dispose();

    private void OnLine(string line)
    {
        if (line == "joined")
        {
            _joined = true;
        }
        else if (line.StartsWith("status ", StringComparison.Ordinal))
        {
            var fields = Fields(line);
            var tasks = new List<InstanceTask>();
            foreach (var task in fields["tasks"].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = task.Split(':');
                tasks.Add(new InstanceTask(parts[0], parts[1], Number(parts[2]), Number(parts[3]), Number(parts[4])));
            }

            var status = new InstanceStatus(Number(fields["ms"]), (int)Number(fields["gen"]), (int)Number(fields["rebalances"]), tasks);
            lock (_lock)
            {
                _latest = status;
                if (_generations.Count == 0 || _generations[^1].Generation != status.Generation)
                {
                    _generations.Add((status.Generation, status.TimeMs));
                }
            }
        }
        else if (line.StartsWith("restored ", StringComparison.Ordinal))
        {
            var fields = Fields(line);
            var restore = new RestoreEvent(Number(fields["ms"]), (int)Number(fields["gen"]), fields["task"], Number(fields["records"]), Number(fields["restore_ms"]));
            lock (_lock)
            {
                _restores.Add(restore);
            }
        }
    }

    private static Dictionary<string, string> Fields(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var at = field.IndexOf('=');
            fields[field[..at]] = field[(at + 1)..];
        }

        return fields;
    }

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
