using System.Diagnostics;
using System.Text;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application;

/// <summary>One instance of the application-mode test job as a child process (the built Freshet.Application.TestHost.dll).</summary>
internal sealed class ApplicationInstanceProcess : IDisposable
{
    private static readonly string HostPath = TestHosts.PathOf("Freshet.Application.TestHost");
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<InstanceStatusLine> _statuses = [];

    private ApplicationInstanceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The last status line received, or null before the first.</summary>
    public InstanceStatusLine? LastStatus
    {
        get
        {
            lock (_output)
            {
                return _statuses.Count > 0 ? _statuses[^1] : null;
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last replicas line: per task run here the changelog records its restore read, and per standby kept here the records applied and its lag.</summary>
    public (Dictionary<string, long> Restored, Dictionary<string, (long Applied, long Lag)> Standbys) LastReplicas
    {
        get
        {
            var output = Output;
            var at = output.LastIndexOf("replicas restored=", StringComparison.Ordinal);
            var restored = new Dictionary<string, long>(StringComparer.Ordinal);
            var standbys = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            if (at < 0)
            {
                return (restored, standbys);
            }

            var parts = output[(at + 18)..].Split('\n')[0].TrimEnd().Split("standbys=");
            foreach (var task in parts[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = task.Split(':');
                restored[fields[0]] = long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }

            foreach (var standby in parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
            {
                var fields = standby.Split(':');
                standbys[fields[0]] = (long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture));
            }

            return (restored, standbys);
        }
    }

    public static ApplicationInstanceProcess Start(string name, string bootstrap, string applicationId, string backend, string stateDirectory, string? instanceId = null, int variant = 0, int standbyReplicas = 0, bool atLeastOnce = false, TimeSpan? sessionTimeout = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { HostPath, bootstrap, applicationId, backend, stateDirectory, instanceId ?? "-", variant.ToString(System.Globalization.CultureInfo.InvariantCulture), standbyReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture), atLeastOnce ? "at-least-once" : "exactly-once", ((int)(sessionTimeout ?? TimeSpan.FromSeconds(6)).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        return new ApplicationInstanceProcess(name, Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits until the instance joined its group (or fails the test with its output when it exited first).</summary>
    public async Task WaitUntilJoinedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Output.Contains("joined", StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, $"{Name} exited with {(_process.HasExited ? _process.ExitCode : 0)} before joining: {Output}");
            Assert.True(DateTime.UtcNow < deadline, $"{Name} did not join: {Output}");
            await Task.Delay(20);
        }
    }

    /// <summary>The first status line received at or after <paramref name="since"/> that satisfies <paramref name="condition"/>, or null.</summary>
    public InstanceStatusLine? FirstStatus(DateTime since, Func<InstanceStatusLine, bool> condition)
    {
        lock (_output)
        {
            return _statuses.Find(s => s.ReceivedAt >= since && condition(s));
        }
    }

    /// <summary>
    /// Waits for the first status line received at or after <paramref name="since"/> that satisfies
    /// <paramref name="condition"/> (or fails the test, with the output, when the instance exits or the timeout passes).
    /// </summary>
    public async Task<InstanceStatusLine> WaitForStatusAsync(DateTime since, Func<InstanceStatusLine, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (FirstStatus(since, condition) is { } found)
            {
                return found;
            }

            Assert.False(_process.HasExited, $"{Name} exited with {(_process.HasExited ? _process.ExitCode : 0)} while waiting for {what}: {Output}");
            Assert.True(DateTime.UtcNow < deadline, $"{Name}: no {what} within {timeout} (last {LastStatus}): {Output[^Math.Min(4000, Output.Length)..]}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the instance leaves its group and stops; returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"{Name} did not stop within {timeout}: {Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        var received = DateTime.UtcNow;
        lock (_output)
        {
            _output.AppendLine(line);
            if (InstanceStatusLine.TryParse(line, received, out var status))
            {
                _statuses.Add(status);
            }
        }
    }
}
