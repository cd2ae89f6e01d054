using Freshet.Broker.Security.Authorization;

namespace Freshet.Broker.Tests.Security;

/// <summary>The ACL file: durable changes, writers in several store instances (as in several processes), refusal of a broken file.</summary>
public sealed class AclStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-acl-store", Guid.NewGuid().ToString("N"));

    public AclStoreTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static AclBinding Read(string topic, string principal = "User:alice") => AclMatcherTests.Acl(AclResourceType.Topic, topic, AclOperation.Read, principal: principal);

    [Fact]
    public void Add_ThenReopen_ReadsTheSameAcls()
    {
        var store = AclStore.Open(_directory);

        Assert.Equal(2, store.Add([Read("a"), Read("b"), Read("a")]));
        Assert.Equal(0, store.Add([Read("b")]));

        Assert.Equal([Read("a"), Read("b")], AclStore.Open(_directory).Acls);
        Assert.Equal([AclStore.FileName, AclStore.LockFileName], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Remove_Filters_RemovesAndReportsEachFiltersMatches()
    {
        var store = AclStore.Open(_directory);
        store.Add([Read("a"), Read("b"), Read("a", "User:bob")]);

        var removed = store.Remove([AclBindingFilter.All with { Principal = "User:bob" }, AclBindingFilter.All with { ResourceName = "a" }]);

        Assert.Equal([Read("a", "User:bob")], removed[0]);
        Assert.Equal([Read("a"), Read("a", "User:bob")], removed[1]);
        Assert.Equal([Read("b")], AclStore.Open(_directory).Acls);
    }

    [Fact]
    public void Add_FromTwoStoresOfOneDirectory_KeepsEveryChange()
    {
        var first = AclStore.Open(_directory);
        var second = AclStore.Open(_directory);

        Parallel.For(0, 40, i => (i % 2 == 0 ? first : second).Add([Read("t" + i)]));

        Assert.Equal(40, AclStore.Open(_directory).Acls.Count);
        Assert.True(first.RefreshIfChanged() || first.Acls.Count == 40);
        Assert.Equal(40, first.Acls.Count);
    }

    [Fact]
    public void RefreshIfChanged_AnotherStoreWrote_ReadsTheChange()
    {
        var reader = AclStore.Open(_directory);
        AclStore.Open(_directory).Add([Read("a")]);

        Assert.True(reader.RefreshIfChanged());
        Assert.Equal([Read("a")], reader.Acls);
        Assert.False(reader.RefreshIfChanged());
    }

    [Fact]
    public void Open_BrokenFile_ThrowsNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_directory, AclStore.FileName), "{\"version\":1,\"acls\":[{\"resourceType\":\"Topic\"}]}");

        var e = Assert.Throws<InvalidDataException>(() => AclStore.Open(_directory));

        Assert.Contains(AclStore.FileName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownEnumName_Throws()
    {
        File.WriteAllText(Path.Combine(_directory, AclStore.FileName), "{\"version\":1,\"acls\":[{\"resourceType\":\"Topic\",\"patternType\":\"Literal\",\"name\":\"t\",\"principal\":\"User:a\",\"host\":\"*\",\"operation\":\"Fly\",\"permission\":\"Allow\"}]}");

        Assert.Throws<InvalidDataException>(() => AclStore.Open(_directory));
    }

    [Fact]
    public void Add_InvalidBinding_ThrowsAndStoresNothing()
    {
        var store = AclStore.Open(_directory);

        Assert.Throws<ArgumentException>(() => store.Add([Read("a"), AclMatcherTests.Acl(AclResourceType.Cluster, "x", AclOperation.Alter)]));

        Assert.Empty(AclStore.Open(_directory).Acls);
    }
}
