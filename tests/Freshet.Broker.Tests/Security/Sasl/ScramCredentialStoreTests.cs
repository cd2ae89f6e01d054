using Freshet.Broker.Security.Sasl;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>The SCRAM credentials file: durable, salted only, shared between processes (two store instances stand for two).</summary>
public sealed class ScramCredentialStoreTests
{
    [Fact]
    public void SetPassword_ThenReopen_KeepsSaltedCredentialsOnly()
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("alice", "SCRAM-SHA-256", "correct horse", 8192);
        users.Store.SetPassword("alice", "SCRAM-SHA-512", "correct horse");
        users.Store.SetPassword("bob", "SCRAM-SHA-256", "battery");

        var reopened = new ScramCredentialStore(users.Directory);
        Assert.Equal(
            [new("alice", "SCRAM-SHA-256", 8192), new("alice", "SCRAM-SHA-512", 4096), new ScramCredentialInfo("bob", "SCRAM-SHA-256", 4096)],
            reopened.List());
        var text = File.ReadAllText(Path.Combine(users.Directory, ScramCredentialStore.FileName));
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);
        Assert.DoesNotContain("battery", text, StringComparison.Ordinal);
        Assert.True(reopened.TryGet("alice", ScramMechanism.Sha256, out var credential));
        Assert.True(credential.Matches("correct horse"));
        Assert.False(credential.Matches("correct horse "));
    }

    [Fact]
    public void Changes_ByAnotherInstance_AreSeenAtTheNextLookup()
    {
        using var users = new SaslTestUsers();
        var other = new ScramCredentialStore(users.Directory);
        Assert.False(users.Store.TryGet("carol", ScramMechanism.Sha512, out _));

        other.SetPassword("carol", "SCRAM-SHA-512", "one");
        Assert.True(users.Store.TryGet("carol", ScramMechanism.Sha512, out var first));
        Assert.True(first.Matches("one"));

        other.SetPassword("carol", "SCRAM-SHA-512", "two");
        Assert.True(users.Store.TryGet("carol", ScramMechanism.Sha512, out var second));
        Assert.True(second.Matches("two"));

        Assert.Equal(1, other.Delete("carol"));
        Assert.False(users.Store.TryGet("carol", ScramMechanism.Sha512, out _));
    }

    [Fact]
    public void ConcurrentWriters_LoseNoChange()
    {
        using var users = new SaslTestUsers();
        var stores = Enumerable.Range(0, 4).Select(_ => new ScramCredentialStore(users.Directory)).ToArray();
        Parallel.For(0, 4, i =>
        {
            for (var j = 0; j < 5; j++)
            {
                stores[i].SetPassword($"user-{i}-{j}", "SCRAM-SHA-256", "pw");
            }
        });
        Assert.Equal(20, new ScramCredentialStore(users.Directory).List().Count);
    }

    [Fact]
    public void Open_CorruptFile_ThrowsInvalidDataNamingTheFile()
    {
        using var users = new SaslTestUsers();
        users.Store.SetPassword("alice", "SCRAM-SHA-256", "pw");
        var path = Path.Combine(users.Directory, ScramCredentialStore.FileName);
        File.WriteAllText(path, "{\"version\":1,\"credentials\":[{\"user\":\"alice\"");

        var error = Assert.Throws<InvalidDataException>(() => new ScramCredentialStore(users.Directory));
        Assert.Contains(ScramCredentialStore.FileName, error.Message, StringComparison.Ordinal);

        // A running reader keeps its last good copy; a writer refuses to overwrite what it cannot read.
        Assert.True(users.Store.TryGet("alice", ScramMechanism.Sha256, out _));
        Assert.Throws<InvalidDataException>(() => users.Store.SetPassword("bob", "SCRAM-SHA-256", "pw"));
        Assert.StartsWith("{\"version\":1,\"credentials\":[{\"user\":\"alice\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "SCRAM-SHA-256", "pw", 4096)]
    [InlineData("a\0b", "SCRAM-SHA-256", "pw", 4096)]
    [InlineData("alice", "SCRAM-SHA-1", "pw", 4096)]
    [InlineData("alice", "SCRAM-SHA-256", "", 4096)]
    [InlineData("alice", "SCRAM-SHA-256", "pw", 4095)]
    [InlineData("alice", "SCRAM-SHA-256", "pw", 16385)]
    public void SetPassword_InvalidArguments_Throw(string user, string mechanism, string password, int iterations)
    {
        using var users = new SaslTestUsers();
        Assert.Throws<ArgumentException>(() => users.Store.SetPassword(user, mechanism, password, iterations));
        Assert.Empty(users.Store.List());
    }
}
