using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary><c>freshet broker --listeners ... --advertised-listeners ...</c>: several listeners from flags, and the refusals.</summary>
public sealed partial class BrokerListenerFlagsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-listeners-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Port_and_listeners_together_are_refused_with_usage()
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--data", Path.Combine(_root, "d"), "--port", "9092", "--listeners", "PLAINTEXT://127.0.0.1:0"]);

        Assert.Equal(2, exit);
        Assert.Contains("--port and --listeners both say where to listen", stderr);
    }

    [Theory]
    [InlineData("INTERNAL://127.0.0.1:0", "listener INTERNAL has no security protocol")]
    [InlineData("PLAINTEXT://127.0.0.1", "is not NAME://HOST:PORT")]
    [InlineData("SSL://127.0.0.1:0", "give the broker a certificate")]
    public async Task Listeners_that_cannot_be_served_print_one_sentence_and_exit_1(string listeners, string expected)
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--data", Path.Combine(_root, "d"), "--listeners", listeners]);

        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Advertised_listener_without_a_listener_is_refused()
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--data", Path.Combine(_root, "d"), "--listeners", "PLAINTEXT://127.0.0.1:0", "--advertised-listeners", "EXTERNAL://broker.example.com:9093"]);

        Assert.Equal(1, exit);
        Assert.Contains("it advertises EXTERNAL, which is not a listener", stderr);
    }

    [Fact]
    public async Task Two_plaintext_listeners_from_flags_both_serve()
    {
        using var broker = FreshetProcess.Start("broker", "--data", Path.Combine(_root, "d"), "--listeners", "PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0", "--override", "listener.security.protocol.map=INTERNAL:PLAINTEXT");
        await broker.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(30));
        var addresses = AddressPattern().Matches(broker.Stdout).Select(m => m.Groups[1].Value).ToList();

        var listed = new List<(int, string, string)>();
        foreach (var address in addresses)
        {
            listed.Add(await FreshetProcess.RunAsync(["topics", "list", "-b", address]));
        }

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, addresses.Distinct().Count());
        Assert.All(listed, l => Assert.True(l.Item1 == 0, l.Item3));
    }

    [GeneratedRegex(@"(127\.0\.0\.1:\d+) \((?:PLAINTEXT|INTERNAL)\)")]
    private static partial Regex AddressPattern();
}
