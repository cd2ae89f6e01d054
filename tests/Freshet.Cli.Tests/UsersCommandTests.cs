using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary>
/// <c>freshet users add|list|delete</c> run as processes: on a data directory while a <c>freshet broker</c> process serves
/// it, and through the broker's admin APIs; argument errors.
/// </summary>
public sealed partial class UsersCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-users-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Users_added_in_the_directory_and_through_the_broker_are_seen_by_both()
    {
        var data = Path.Combine(_root, "data");
        using var broker = FreshetProcess.Start("broker", "--data", data, "--port", "0");
        await broker.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(30));
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        // In the directory while the broker runs; the broker's admin API sees it at once.
        var added = await FreshetProcess.RunAsync(["users", "add", "alice", "--password", "pw-a", "--data", data]);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("Set the SCRAM-SHA-256 credential of user 'alice' (4096 iterations).", added.Stdout);
        Assert.Contains(Rows((await FreshetProcess.RunAsync(["users", "list", "-b", bootstrap])).Stdout), r => r is ["alice", "SCRAM-SHA-256", "4096"]);

        // Through the broker, password on stdin; the directory shows it.
        var remote = await FreshetProcess.RunAsync(["users", "add", "bob", "--password-stdin", "--mechanism", "SCRAM-SHA-512", "--iterations", "8192", "-b", bootstrap], stdin: "pw-b\n");
        Assert.True(remote.ExitCode == 0, remote.Stderr);
        var listed = Rows((await FreshetProcess.RunAsync(["users", "list", "--data", data])).Stdout);
        Assert.Contains(listed, r => r is ["bob", "SCRAM-SHA-512", "8192"]);
        Assert.DoesNotContain("pw-b", File.ReadAllText(Path.Combine(data, "scram-credentials.json")), StringComparison.Ordinal);

        Assert.Equal(0, (await FreshetProcess.RunAsync(["users", "delete", "bob", "-b", bootstrap])).ExitCode);
        Assert.Equal(0, (await FreshetProcess.RunAsync(["users", "delete", "alice", "--mechanism", "SCRAM-SHA-256", "--data", data])).ExitCode);
        Assert.DoesNotContain(Rows((await FreshetProcess.RunAsync(["users", "list", "-b", bootstrap])).Stdout), r => r is ["alice" or "bob", ..]);

        var missing = await FreshetProcess.RunAsync(["users", "delete", "carol", "-b", bootstrap]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("User 'carol' has no SCRAM credentials.", missing.Stderr);

        var config = Path.Combine(_root, "bad.properties");
        File.WriteAllText(config, "security.protocol=PLAINTEXT\nthis line has no separator\n");
        var badConfig = await FreshetProcess.RunAsync(["users", "list", "-b", bootstrap, "--command-config", config]);
        Assert.Equal(1, badConfig.ExitCode);
        Assert.Contains("line 2: expected key=value", badConfig.Stderr);
    }

    [Theory]
    [InlineData(new[] { "users", "add", "alice", "--password", "x" }, "Give --data DIR or --bootstrap-server HOST:PORT")]
    [InlineData(new[] { "users", "list", "--data", "d", "-b", "127.0.0.1:1" }, "Give --data DIR or --bootstrap-server HOST:PORT")]
    [InlineData(new[] { "users", "add", "alice", "--data", "d" }, "--password PASSWORD or --password-stdin")]
    [InlineData(new[] { "users", "add", "alice", "--password", "x", "--password-stdin", "--data", "d" }, "--password PASSWORD or --password-stdin")]
    [InlineData(new[] { "users", "add", "alice", "--password", "x", "--iterations", "100", "--data", "d" }, "--iterations must be between 4096 and 16384")]
    [InlineData(new[] { "users", "add", "alice", "--password", "x", "--mechanism", "SCRAM-SHA-1", "--data", "d" }, "SCRAM-SHA-1")]
    [InlineData(new[] { "users", "add", "", "--password", "x", "--data", "d" }, "The user name must not be empty.")]
    [InlineData(new[] { "users", "list", "--data", "d", "--command-config", "c" }, "--command-config goes with --bootstrap-server")]
    public async Task Wrong_arguments_print_usage_and_exit_2(string[] args, string expected)
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Add_to_a_missing_directory_fails_with_one_sentence()
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["users", "add", "alice", "--password", "x", "--data", Path.Combine(_root, "nowhere")]);
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    private static string[][] Rows(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

    [GeneratedRegex(@"listening on (\S+:\d+)")]
    private static partial Regex AddressPattern();
}
