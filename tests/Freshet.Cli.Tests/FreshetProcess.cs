using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Freshet.Cli.Tests;

/// <summary>
/// Runs the real <c>freshet</c> command (the built <c>freshet.dll</c> of the same configuration as the tests) as a
/// child process. Every run has a deadline and is killed when it passes, so a hang fails a test instead of the suite.
/// </summary>
internal sealed partial class FreshetProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _lock = new();

    private FreshetProcess(IEnumerable<string> args, string? stdin)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CommandPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No colours or live redraws: the demo prints plain progress lines when its output is redirected.
        info.Environment["NO_COLOR"] = "1";
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (stdin is not null)
        {
            _process.StandardInput.Write(stdin);
        }

        _process.StandardInput.Close();
    }

    /// <summary>The built command: src/Freshet.Cli/bin/CONFIGURATION/net10.0/freshet.dll next to this test assembly's configuration.</summary>
    public static string CommandPath { get; } = Locate();

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public static FreshetProcess Start(params string[] args) => new(args, null);

    /// <summary>Runs to completion (or kills it at <paramref name="timeout"/>, failing the test).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = new FreshetProcess(args, stdin);
        var exit = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return (exit, process.Stdout, process.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"freshet did not exit within {timeout}. stdout: {Stdout} stderr: {Stderr}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until standard output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"freshet did not print '{text}'. stdout: {Stdout} stderr: {Stderr}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL to this process only: the processes it started live on (unlike <see cref="Dispose"/>).</summary>
    public void KillAlone()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>Sends SIGTERM, as a service manager stops a process.</summary>
    public void Terminate() => Assert.Equal(0, Kill(_process.Id, 15));

    /// <summary>Sends SIGINT to this process only, as Ctrl+C does (a terminal sends it to the whole foreground group).</summary>
    public void Interrupt() => Assert.Equal(0, Kill(_process.Id, 2));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.AppendLine(line);
        }
    }

    private static string Locate()
    {
        var testDirectory = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(testDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var directory = new DirectoryInfo(testDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Freshet.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Freshet.sln not found above the test assembly."), "src", "Freshet.Cli", "bin", configuration, "net10.0", "freshet.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Freshet.Cli first.", path);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
