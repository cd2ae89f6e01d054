using System.Diagnostics;

namespace Freshet.Broker.Tests.KafkaStreams;

/// <summary>
/// The Streamiz.Kafka.Net application of tests/Freshet.Streamiz.TestHost as a child OS process: started against a
/// broker, stopped cleanly by closing its standard input, or killed with SIGKILL. Its output is collected so a
/// failing test can show it.
/// </summary>
internal sealed class StreamizApplication : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private StreamizApplication(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the process printed so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the application and waits until it has its partitions (it prints RUNNING).</summary>
    public static async Task<StreamizApplication> StartAsync(string bootstrap, string applicationId, bool exactlyOnce)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath());
        start.ArgumentList.Add(bootstrap);
        start.ArgumentList.Add(applicationId);
        start.ArgumentList.Add(exactlyOnce ? "exactly-once" : "at-least-once");
        var application = new StreamizApplication(new Process { StartInfo = start, EnableRaisingEvents = true });
        application._process.OutputDataReceived += (_, e) => application.OnLine(e.Data);
        application._process.ErrorDataReceived += (_, e) => application.OnLine(e.Data);
        application._process.Exited += (_, _) => application._running.TrySetException(
            new InvalidOperationException($"the Streamiz application exited with code {application._process.ExitCode}:\n{application.Output}"));
        application._process.Start();
        application._process.BeginOutputReadLine();
        application._process.BeginErrorReadLine();
        await application._running.Task.WaitAsync(TimeSpan.FromSeconds(90));
        return application;
    }

    /// <summary>Kills the process at once (SIGKILL on Linux): no flush, no commit, no leave-group.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Closes standard input, which makes the application close its stream and exit.</summary>
    public async Task StopAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line == "RUNNING")
        {
            _running.TrySetResult();
        }
    }

    /// <summary>The built host of the tests' configuration: tests/Freshet.Broker.Tests/bin/C/F → tests/Freshet.Streamiz.TestHost/bin/C/F.</summary>
    private static string HostPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Freshet.Streamiz.TestHost", "bin", configuration, framework, "Freshet.Streamiz.TestHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Freshet.Streamiz.TestHost first (the test project references it).", path);
    }
}
