using System.Diagnostics;
using System.Globalization;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// A hidden sub-command of this bench executable running as a child process: the same apphost (or <c>dotnet</c> with
/// this assembly when the bench was started that way), standard output and error read line by line into
/// <c>onLine</c> and into a short tail kept for error messages. Its standard input is a pipe this process never
/// writes to: when this process ends, however it ends, the child reads end-of-input and stops
/// (<see cref="StopWhenParentEnds"/>), so no broker or instance outlives a crashed suite. Thread-safe; disposing kills
/// the process if it still runs. With <c>FRESHET_BENCH_TRACE</c> set, every line is also copied to standard error.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 60;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Action<string>? _onLine;

    private ChildProcess(string name, Process process, Action<string>? onLine)
    {
        Name = name;
        _process = process;
        _onLine = onLine;
    }

    /// <summary>A name for messages, for example "instance 2".</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>User plus system CPU seconds the process has used; read it while the process is alive (after it is reaped the kernel no longer has it).</summary>
    public double CpuSeconds => _process.TotalProcessorTime.TotalSeconds;

    /// <summary>The last lines the process wrote (stdout and stderr), for error messages.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Starts <c>Freshet.Bench COMMAND ARGUMENTS...</c>; <paramref name="onLine"/> sees every line of its output on a reader thread.</summary>
    public static ChildProcess Start(string name, string command, IEnumerable<string> arguments, Action<string>? onLine)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot find its own executable.");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        info.ArgumentList.Add(command);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        var child = new ChildProcess(name, process, onLine);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>In a child: calls <paramref name="stop"/> once standard input ends, that is when the parent suite's process has ended, and exits 30 s later if the process still runs.</summary>
    public static void StopWhenParentEnds(Action stop)
    {
        var watcher = new Thread(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }

            stop();

            // A graceful stop needs the broker, which may have ended with the suite: do not outlive it for long.
            Thread.Sleep(TimeSpan.FromSeconds(30));
            Environment.Exit(1);
        })
        { IsBackground = true, Name = "parent watch" };
        watcher.Start();
    }

    /// <summary>SIGKILL: no shutdown code runs. Waits until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits up to <paramref name="timeout"/> for the process to exit (SIGKILL after that); returns its exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
        }

        if (!_process.WaitForExit(timeout))
        {
            Console.Error.WriteLine($"warning: {Name} did not stop within {timeout.TotalSeconds:0} s of SIGTERM; killed. {Tail}");
            Kill();
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already disposed.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        if (Broker.ThreadCpu.Enabled)
        {
            Console.Error.WriteLine($"[{Name}] {line}");
        }

        _onLine?.Invoke(line);
    }
}
