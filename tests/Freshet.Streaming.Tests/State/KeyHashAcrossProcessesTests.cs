using System.Diagnostics;
using System.Globalization;
using Freshet.KeyHash.TestHost;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// Key hashes and key groups are the same in separate OS processes: two child processes (tests/Freshet.KeyHash.TestHost)
/// and this one generate the same random keys of many shapes from one seed (<see cref="KeySamples"/>) and must print
/// the same hash and key group for each. A hash built on <c>string.GetHashCode</c>, <c>HashCode</c> or the runtime
/// hash of tuples and records differs between processes and fails this test. The seed is new each run and named in the
/// failure message.
/// </summary>
public sealed class KeyHashAcrossProcessesTests
{
    private const int Keys = 20_000;

    [Fact]
    public async Task Of_RandomKeysOfEveryShapeInTwoChildProcesses_SameHashesAndKeyGroupsAsHere()
    {
        var seed = Random.Shared.Next();
        var expected = KeySamples.Lines(seed, Keys).ToList();
        var children = await Task.WhenAll(RunHostAsync(seed), RunHostAsync(seed));
        foreach (var actual in children)
        {
            Assert.True(actual.Count == Keys + 1 && actual[^1] == "end", $"seed {seed}: the host printed {actual.Count} lines, ending with '{actual.LastOrDefault()}'");
            var differing = Enumerable.Range(0, Keys).Where(i => actual[i] != expected[i]).Take(5).Select(i => $"here '{expected[i]}', there '{actual[i]}'").ToList();
            Assert.True(differing.Count == 0, $"seed {seed}: keys hash differently in another process: {string.Join("; ", differing)}");
        }
    }

    private static async Task<List<string>> RunHostAsync(int seed)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(TestHosts.PathOf("Freshet.KeyHash.TestHost"));
        info.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Keys.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"the host exited with {process.ExitCode}: {await errors}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd('\r'))];
    }
}
