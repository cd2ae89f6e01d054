using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary>
/// <c>freshet acls add|list|remove</c> run as processes: on a data directory (no broker), and on a running
/// <c>freshet broker</c> with authorization on, through its ACL APIs and through its data directory while it runs.
/// </summary>
public sealed partial class AclsCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-acls-tests-" + Guid.NewGuid().ToString("N"));

    public AclsCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Data_add_list_remove_edit_the_acl_file()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);

        var added = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--allow-principal", "User:alice", "--operation", "Read", "--operation", "Describe", "--topic", "orders", "--resource-pattern-type", "prefixed"]);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("Added 2 ACLs", added.Stdout);
        var denied = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--deny-principal", "User:bob", "--deny-host", "10.0.0.1", "--operation", "All", "--group", "g"]);
        Assert.True(denied.ExitCode == 0, denied.Stderr);

        var listed = await FreshetProcess.RunAsync(["acls", "list", "--data", data]);
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Contains("Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=PREFIXED)`:", listed.Stdout);
        Assert.Contains("(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)", listed.Stdout);
        Assert.Contains("(principal=User:bob, host=10.0.0.1, operation=ALL, permissionType=DENY)", listed.Stdout);

        var matching = await FreshetProcess.RunAsync(["acls", "list", "--data", data, "--topic", "orders-eu", "--resource-pattern-type", "match"]);
        Assert.Contains("name=orders, patternType=PREFIXED", matching.Stdout);
        Assert.DoesNotContain("User:bob", matching.Stdout);

        var removed = await FreshetProcess.RunAsync(["acls", "remove", "--data", data, "--topic", "orders", "--resource-pattern-type", "prefixed", "--operation", "Read"]);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        Assert.Contains("Removed 1 ACL:", removed.Stdout);
        var left = await FreshetProcess.RunAsync(["acls", "list", "--data", data, "--topic", "orders", "--resource-pattern-type", "prefixed"]);
        Assert.Contains("operation=DESCRIBE", left.Stdout);
        Assert.DoesNotContain("operation=READ", left.Stdout);
    }

    [Fact]
    public async Task Invalid_input_is_refused_with_a_message()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);

        var noPrincipal = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--operation", "Read", "--topic", "t"]);
        var badOperation = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--allow-principal", "User:a", "--operation", "Fly", "--topic", "t"]);
        var badPrincipal = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--allow-principal", "alice", "--operation", "Read", "--topic", "t"]);
        var wrongType = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--allow-principal", "User:a", "--operation", "Write", "--group", "g"]);
        var bothTargets = await FreshetProcess.RunAsync(["acls", "list", "--data", data, "--bootstrap-server", "127.0.0.1:1"]);

        Assert.NotEqual(0, noPrincipal.ExitCode);
        Assert.Contains("--allow-principal", noPrincipal.Stderr);
        Assert.Contains("Unknown operation 'Fly'", badOperation.Stderr);
        Assert.Contains("Type:Name", badPrincipal.Stderr);
        Assert.Contains("does not apply to resource type Group", wrongType.Stderr);
        Assert.NotEqual(0, bothTargets.ExitCode);
        Assert.False(File.Exists(Path.Combine(data, "acls.json")));
    }

    [Fact]
    public async Task Bootstrap_server_uses_the_acl_apis_and_sees_data_directory_edits_of_the_running_broker()
    {
        var data = Path.Combine(_root, "data");
        var config = Path.Combine(_root, "broker.properties");
        File.WriteAllLines(config, ["authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users=User:ANONYMOUS"]);
        var clientConfig = Path.Combine(_root, "client.properties");
        File.WriteAllLines(clientConfig, ["# plaintext, as the broker's listener", "security.protocol=PLAINTEXT"]);
        using var broker = FreshetProcess.Start("broker", "--config", config, "--data", data, "--port", "0");
        await broker.WaitForOutputAsync("listening on", Timeout);
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        var added = await FreshetProcess.RunAsync(["acls", "add", "--bootstrap-server", bootstrap, "--command-config", clientConfig, "--allow-principal", "User:alice", "--operation", "Write", "--topic", "orders"]);
        Assert.True(added.ExitCode == 0, added.Stderr);
        var offline = await FreshetProcess.RunAsync(["acls", "add", "--data", data, "--allow-principal", "User:bob", "--operation", "Read", "--group", "readers"]);
        Assert.True(offline.ExitCode == 0, offline.Stderr);

        var listed = await FreshetProcess.RunAsync(["acls", "list", "--bootstrap-server", bootstrap]);
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        Assert.Contains("(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)", listed.Stdout);
        Assert.Contains("(principal=User:bob, host=*, operation=READ, permissionType=ALLOW)", listed.Stdout);

        var removed = await FreshetProcess.RunAsync(["acls", "remove", "--bootstrap-server", bootstrap, "--topic", "orders"]);
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        Assert.Contains("Removed 1 ACL:", removed.Stdout);

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(Timeout));
        var after = await FreshetProcess.RunAsync(["acls", "list", "--data", data]);
        Assert.DoesNotContain("User:alice", after.Stdout);
        Assert.Contains("User:bob", after.Stdout);
    }

    [Fact]
    public async Task Bootstrap_server_without_authorizer_reports_security_disabled()
    {
        var data = Path.Combine(_root, "data");
        using var broker = FreshetProcess.Start("broker", "--data", data, "--port", "0");
        await broker.WaitForOutputAsync("listening on", Timeout);
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        var added = await FreshetProcess.RunAsync(["acls", "add", "--bootstrap-server", bootstrap, "--allow-principal", "User:alice", "--operation", "Read", "--topic", "orders"]);

        broker.Terminate();
        await broker.WaitForExitAsync(Timeout);
        Assert.NotEqual(0, added.ExitCode);
        Assert.Contains("SecurityDisabled", added.Stderr);
    }

    [GeneratedRegex(@"listening on (\d+\.\d+\.\d+\.\d+:\d+)")]
    private static partial Regex AddressPattern();
}
