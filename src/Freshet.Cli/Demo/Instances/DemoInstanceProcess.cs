using System.Diagnostics;
using System.Text.Json;
using Freshet.Cli.Targets;
using Freshet.Streaming.Jobs;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// One instance of the application-mode demo: a <c>freshet demo-instance</c> child process (see
/// <see cref="DemoInstanceCommand"/>) and what it last reported. Its standard input stays open while the demo holds
/// it, so the instance stops by itself when the demo dies.
/// Thread-safety: the process's output is read on its own threads; <see cref="Status"/>, <see cref="Joined"/> and
/// <see cref="Tail"/> may be read from any thread; control (<see cref="Kill"/>, <see cref="Terminate"/>) from one.
/// </summary>
internal sealed class DemoInstanceProcess : IDisposable
{
    private const int TailLines = 10;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private ApplicationInstanceStatus? _status;
    private volatile bool _joined;

    private DemoInstanceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        ProcessId = process.Id;
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The instance's name, also its static group instance id: <c>instance-N</c>.</summary>
    public string Name { get; }

    public int ProcessId { get; }

    /// <summary>True once the instance has joined the application.</summary>
    public bool Joined => _joined;

    /// <summary>The instance's last reported status; null before the first report.</summary>
    public ApplicationInstanceStatus? Status => Volatile.Read(ref _status);

    /// <summary>True once the demo killed it with SIGKILL.</summary>
    public bool Killed { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once it exited; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Its last lines of error output (and of output that was not a status), for a failure report.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    /// <summary>Starts <c>freshet demo-instance</c> as instance <paramref name="name"/>.</summary>
    public static DemoInstanceProcess Start(string name, string bootstrapServers, string stateDirectory)
    {
        var info = FreshetExecutable.StartInfo([DemoInstanceCommand.Name, "--bootstrap-server", bootstrapServers, "--instance", name, "--state", stateDirectory]);
        var process = Process.Start(info) ?? throw new CliException($"Cannot start {info.FileName} for {name}.");
        return new DemoInstanceProcess(name, process);
    }

    /// <summary>SIGKILL: no shutdown code runs in the instance; its group session expires and its tasks move.</summary>
    public void Kill()
    {
        Killed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>Asks the instance to stop cleanly: SIGTERM (where there are signals; else its standard input ends).</summary>
    public void Terminate()
    {
        if (_process.HasExited)
        {
            return;
        }

        if (!ProcessSignals.TryTerminate(ProcessId))
        {
            _process.StandardInput.Close();
        }
    }

    /// <summary>Waits until it exited; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(DemoInstanceCommand.StatusPrefix, StringComparison.Ordinal))
        {
            try
            {
                Volatile.Write(ref _status, JsonSerializer.Deserialize(line.AsSpan(DemoInstanceCommand.StatusPrefix.Length), DemoJsonContext.Default.ApplicationInstanceStatus));
                return;
            }
            catch (JsonException)
            {
                // Not a status after all: kept with the other lines below.
            }
        }
        else if (line == DemoInstanceCommand.JoinedLine)
        {
            _joined = true;
            return;
        }

        Remember(line);
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
