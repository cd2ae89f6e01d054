using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary>
/// <c>freshet demo --instances N</c> as a real process: N <c>freshet demo-instance</c> processes of one application
/// against the demo's broker, one killed with SIGKILL, its tasks moving, and the exactly-once check over the output.
/// </summary>
public sealed partial class ApplicationDemoTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-app-demo-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_ThreeInstances_MovesTheKilledInstancesTasksAndChecksExactlyOnce()
    {
        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["demo", "--instances", "3", "--seconds", "30"], timeout: TimeSpan.FromSeconds(180));

        Assert.True(exit == 0, $"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.Contains("All 3 instances run their share of the 18 tasks (instance-1: 6, instance-2: 6, instance-3: 6)", stdout);
        var killed = KilledPattern().Match(stdout);
        Assert.True(killed.Success, stdout);
        var moved = MovedPattern().Match(stdout);
        Assert.True(moved.Success, stdout);

        // Every task the killed instance ran is named as moved to a survivor.
        var victimTasks = killed.Groups["tasks"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, victimTasks.Length);
        Assert.All(victimTasks, task => Assert.Contains(task, moved.Groups["moves"].Value));
        Assert.DoesNotContain("→ instance-2", moved.Groups["moves"].Value);

        Assert.Matches(@"Exactly-once check passed: all [1-9]\d* windows the readings closed were committed exactly once", stdout);
        Assert.Contains("Instances stopped: instance-1 (exit code 0), instance-2 (exit code 0), instance-3 (exit code 0).", stdout);

        // The temporary data directory is gone.
        var data = DataPattern().Match(stdout);
        Assert.True(data.Success, stdout);
        Assert.False(Directory.Exists(data.Groups["dir"].Value), data.Groups["dir"].Value);
    }

    /// <summary>Ctrl+C ends the run early and the demo still stops everything cleanly and checks the output.</summary>
    [Fact]
    public async Task Demo_Interrupted_StopsCleanlyAndStillChecks()
    {
        using var demo = FreshetProcess.Start("demo", "--instances", "2", "--seconds", "120");
        await demo.WaitForOutputAsync("All 2 instances run their share", TimeSpan.FromSeconds(90));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!CommittedPattern().IsMatch(demo.Stdout))
        {
            Assert.True(DateTime.UtcNow < deadline, demo.Stdout);
            await Task.Delay(100);
        }

        demo.Interrupt();
        var exit = await demo.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(exit == 0, $"exit {exit}\nstdout:\n{demo.Stdout}\nstderr:\n{demo.Stderr}");
        Assert.Contains("Interrupted: readings stopped at", demo.Stdout);
        Assert.Contains("Exactly-once check passed", demo.Stdout);
        Assert.Contains("Instances stopped: instance-1 (exit code 0), instance-2 (exit code 0).", demo.Stdout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    public async Task Demo_InstancesOutOfRange_IsRefusedWithUsage(string instances)
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["demo", "--instances", instances, "--seconds", "5"]);

        Assert.Equal(2, exit);
        Assert.Contains("--instances takes a number from 1 to 8.", stderr);
        Assert.Contains("--help", stderr);
    }

    [Fact]
    public async Task Demo_InstancesWithANonEmptyDataDirectory_IsRefused()
    {
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(Path.Combine(_root, "earlier-run"), "x");

        var (exit, _, stderr) = await FreshetProcess.RunAsync(["demo", "--instances", "2", "--seconds", "5", "--data", _root]);

        Assert.Equal(2, exit);
        Assert.Contains("is not empty", stderr);
    }

    [Fact]
    public async Task Help_DoesNotListTheHiddenInstanceCommand()
    {
        var (exit, stdout, _) = await FreshetProcess.RunAsync(["--help"]);

        Assert.Equal(0, exit);
        Assert.Contains("demo", stdout);
        Assert.DoesNotContain("demo-instance", stdout);
    }

    /// <summary>An instance must not outlive its demo: killed with SIGKILL, the demo closes the instances' standard input, and they stop.</summary>
    [Fact]
    public async Task Demo_KilledWithSigkill_ItsInstancesStopByThemselves()
    {
        using var demo = FreshetProcess.Start("demo", "--instances", "2", "--seconds", "120");
        await demo.WaitForOutputAsync("All 2 instances run their share", TimeSpan.FromSeconds(90));
        var started = demo.Stdout.Split('\n').First(static l => l.Contains("Started instance-1 (pid", StringComparison.Ordinal));
        var pids = StartedPattern().Matches(started).Select(static m => int.Parse(m.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, pids.Length);

        demo.KillAlone();

        foreach (var pid in pids)
        {
            using var instance = TryGetProcess(pid);
            if (instance is not null)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await instance.WaitForExitAsync(deadline.Token);
            }
        }

        var data = DataPattern().Match(demo.Stdout);
        if (data.Success && Directory.Exists(data.Groups["dir"].Value))
        {
            // The killed demo could not remove its temporary directory.
            Directory.Delete(data.Groups["dir"].Value, recursive: true);
        }
    }

    private static Process? TryGetProcess(int pid)
    {
        try
        {
            return Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"SIGKILL instance-2 \(pid \d+\), which ran (?<tasks>[\d_ ]+);")]
    private static partial Regex KilledPattern();

    [GeneratedRegex(@"Tasks moved [\d.]+ s after the kill: (?<moves>[^(]+) \(generation \d+;")]
    private static partial Regex MovedPattern();

    [GeneratedRegex(@"data in (?<dir>\S+) \(removed at the end\)")]
    private static partial Regex DataPattern();

    [GeneratedRegex(@"rankings committed [1-9]")]
    private static partial Regex CommittedPattern();

    [GeneratedRegex(@"instance-\d \(pid (?<pid>\d+)\)")]
    private static partial Regex StartedPattern();
}
