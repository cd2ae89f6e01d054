using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Freshet.Broker.Tests.Support;

/// <summary>
/// <c>freshet broker</c> (the built <c>freshet.dll</c> of the same configuration as the tests) in its own OS
/// process, for measuring the broker's memory from the outside: peak resident memory is the kernel's VmHWM of
/// that process. Killed on dispose; its data directory is deleted.
/// </summary>
internal sealed partial class BrokerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private BrokerProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>Starts the broker with extra command-line arguments and waits until it listens.</summary>
    public static async Task<BrokerProcess> StartAsync(params string[] args)
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-broker-process-tests", Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[CommandPath(), "broker", "--data", directory, "--port", "0", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        var broker = new BrokerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start."), directory);
        broker._process.OutputDataReceived += (_, e) => broker.Append(e.Data);
        broker._process.ErrorDataReceived += (_, e) => broker.Append(e.Data);
        broker._process.BeginOutputReadLine();
        broker._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var match = ListeningPattern().Match(broker.Output);
            if (match.Success)
            {
                broker.Port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                return broker;
            }

            if (broker._process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = broker.Output;
                broker.Dispose();
                throw new InvalidOperationException($"freshet broker did not start: {output}");
            }

            await Task.Delay(50);
        }
    }

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

    /// <summary>Peak resident set size of the broker process so far, in bytes (VmHWM in /proc/PID/status).</summary>
    public long PeakResidentBytes => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Current resident set size, in bytes (VmRSS).</summary>
    public long ResidentBytes => StatusKilobytes("VmRSS:") * 1024;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory must not fail the test.
        }
    }

    private long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found for process {_process.Id}.");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string CommandPath()
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

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningPattern();
}
