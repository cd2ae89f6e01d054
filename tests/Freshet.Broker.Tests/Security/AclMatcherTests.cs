using Freshet.Broker.Security;
using Freshet.Broker.Security.Authorization;

namespace Freshet.Broker.Tests.Security;

/// <summary>The authorizer's decisions over ACLs in a real store file: implications, wildcards, prefixes, hosts, deny over allow, super users.</summary>
public sealed class AclMatcherTests : IDisposable
{
    private static readonly KafkaPrincipal Alice = KafkaPrincipal.User("alice");
    private static readonly KafkaPrincipal Bob = KafkaPrincipal.User("bob");
    private const string Local = "127.0.0.1";
    private const string Remote = "10.1.2.3";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-acl-matcher", Guid.NewGuid().ToString("N"));

    public AclMatcherTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static AclBinding Acl(AclResourceType type, string name, AclOperation operation, AclPermissionType permission = AclPermissionType.Allow, string principal = "User:alice", string host = "*", AclPatternType pattern = AclPatternType.Literal) =>
        new(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, host, operation, permission));

    private Authorizer With(AuthorizationOptions? options = null, params AclBinding[] acls)
    {
        AclStore.Open(_directory).Add(acls);
        return Authorizer.Create((options ?? new AuthorizationOptions()) with { Enabled = true }, _directory);
    }

    [Fact]
    public void IsAllowed_Disabled_AllowsEverything()
    {
        var authorizer = Authorizer.Create(AuthorizationOptions.Disabled, _directory);

        Assert.False(authorizer.IsEnabled);
        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Write, AclResourceType.Topic, "orders"));
    }

    [Theory]
    [InlineData(AclOperation.Read, AclOperation.Describe, true)]
    [InlineData(AclOperation.Write, AclOperation.Describe, true)]
    [InlineData(AclOperation.Delete, AclOperation.Describe, true)]
    [InlineData(AclOperation.Alter, AclOperation.Describe, true)]
    [InlineData(AclOperation.AlterConfigs, AclOperation.DescribeConfigs, true)]
    [InlineData(AclOperation.All, AclOperation.Write, true)]
    [InlineData(AclOperation.Describe, AclOperation.Read, false)]
    [InlineData(AclOperation.Read, AclOperation.Write, false)]
    [InlineData(AclOperation.DescribeConfigs, AclOperation.AlterConfigs, false)]
    [InlineData(AclOperation.Create, AclOperation.Describe, false)]
    public void IsAllowed_GrantedOperation_ImpliesAsKafka(AclOperation granted, AclOperation requested, bool expected)
    {
        var authorizer = With(null, Acl(AclResourceType.Topic, "orders", granted));

        Assert.Equal(expected, authorizer.IsAllowed(Alice, Local, requested, AclResourceType.Topic, "orders"));
    }

    [Fact]
    public void IsAllowed_LiteralWildcardAndPrefixed_MatchTheirResources()
    {
        var authorizer = With(
            null,
            Acl(AclResourceType.Topic, "*", AclOperation.Read),
            Acl(AclResourceType.Group, "app-", AclOperation.Read, pattern: AclPatternType.Prefixed));

        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "anything"));
        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Group, "app-1"));
        Assert.False(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Group, "other"));
        Assert.False(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.TransactionalId, "app-1"));
    }

    [Fact]
    public void IsAllowed_LiteralNamedStar_IsNotAPrefix()
    {
        var authorizer = With(null, Acl(AclResourceType.Topic, "orders", AclOperation.Read));

        Assert.False(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "orders-eu"));
    }

    [Fact]
    public void IsAllowed_HostAndPrincipal_MustMatch()
    {
        var authorizer = With(
            null,
            Acl(AclResourceType.Topic, "orders", AclOperation.Read, host: Local),
            Acl(AclResourceType.Topic, "payments", AclOperation.Read, principal: "User:*"));

        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "orders"));
        Assert.False(authorizer.IsAllowed(Alice, Remote, AclOperation.Read, AclResourceType.Topic, "orders"));
        Assert.False(authorizer.IsAllowed(Bob, Local, AclOperation.Read, AclResourceType.Topic, "orders"));
        Assert.True(authorizer.IsAllowed(Bob, Remote, AclOperation.Read, AclResourceType.Topic, "payments"));
    }

    [Fact]
    public void IsAllowed_DenyAndAllowMatch_DenyWins()
    {
        var authorizer = With(
            null,
            Acl(AclResourceType.Topic, "*", AclOperation.All),
            Acl(AclResourceType.Topic, "secret-", AclOperation.Read, AclPermissionType.Deny, pattern: AclPatternType.Prefixed));

        Assert.False(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "secret-plans"));
        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Write, AclResourceType.Topic, "secret-plans"));
        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "public"));
    }

    [Fact]
    public void IsAllowed_DenyAllFromOneHost_DeniesEveryOperationFromThere()
    {
        var authorizer = With(
            null,
            Acl(AclResourceType.Topic, "orders", AclOperation.All),
            Acl(AclResourceType.Topic, "orders", AclOperation.All, AclPermissionType.Deny, principal: "User:*", host: Remote));

        Assert.True(authorizer.IsAllowed(Alice, Local, AclOperation.Describe, AclResourceType.Topic, "orders"));
        Assert.False(authorizer.IsAllowed(Alice, Remote, AclOperation.Describe, AclResourceType.Topic, "orders"));
    }

    [Fact]
    public void IsAllowed_SuperUser_AllowedDespiteDeny()
    {
        var authorizer = With(
            new AuthorizationOptions { SuperUsers = [Bob] },
            Acl(AclResourceType.Topic, "*", AclOperation.All, AclPermissionType.Deny, principal: "User:*"));

        Assert.True(authorizer.IsAllowed(Bob, Remote, AclOperation.Delete, AclResourceType.Topic, "orders"));
        Assert.False(authorizer.IsAllowed(Alice, Local, AclOperation.Delete, AclResourceType.Topic, "orders"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void IsAllowed_NoAclOnResource_FollowsAllowEveryoneIfNoAclFound(bool allowEveryone, bool expected)
    {
        var authorizer = With(new AuthorizationOptions { AllowEveryoneIfNoAclFound = allowEveryone }, Acl(AclResourceType.Topic, "orders", AclOperation.Read, principal: "User:bob"));

        Assert.Equal(expected, authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "payments"));

        // An ACL on the resource for someone else is an ACL found: Alice is denied whatever the setting.
        Assert.False(authorizer.IsAllowed(Alice, Local, AclOperation.Read, AclResourceType.Topic, "orders"));
    }

    [Fact]
    public void IsAllowedOnAnyOfType_WriteOnSomeTopic_AllowsUnlessDeniedEverywhere()
    {
        var some = With(null, Acl(AclResourceType.Topic, "orders", AclOperation.Write));
        Assert.True(some.IsAllowedOnAnyOfType(Alice, Local, AclOperation.Write, AclResourceType.Topic));
        Assert.False(some.IsAllowedOnAnyOfType(Bob, Local, AclOperation.Write, AclResourceType.Topic));

        AclStore.Open(_directory).Add([Acl(AclResourceType.Topic, "*", AclOperation.Write, AclPermissionType.Deny)]);
        var denied = Authorizer.Create(new AuthorizationOptions { Enabled = true }, _directory);
        Assert.False(denied.IsAllowedOnAnyOfType(Alice, Local, AclOperation.Write, AclResourceType.Topic));
    }

    [Fact]
    public void AuthorizedOperations_ReadOnGroup_ReportsReadAndDescribe()
    {
        var authorizer = With(null, Acl(AclResourceType.Group, "g", AclOperation.Read));

        var bits = authorizer.AuthorizedOperations(Alice, Local, AclResourceType.Group, "g");

        Assert.Equal((1 << (int)AclOperation.Read) | (1 << (int)AclOperation.Describe), bits);
    }

    [Theory]
    [InlineData(AclPatternType.Any, "orders", new[] { "orders-literal", "orders-prefixed" })]
    [InlineData(AclPatternType.Match, "orders-eu", new[] { "star", "orders-prefixed", "or-prefixed" })]
    [InlineData(AclPatternType.Literal, "orders", new[] { "orders-literal" })]
    [InlineData(AclPatternType.Prefixed, null, new[] { "orders-prefixed", "or-prefixed" })]
    public void Matches_PatternTypeFilters_SelectAsKafka(AclPatternType patternType, string? name, string[] expected)
    {
        var acls = new Dictionary<string, AclBinding>
        {
            ["orders-literal"] = Acl(AclResourceType.Topic, "orders", AclOperation.Read),
            ["orders-prefixed"] = Acl(AclResourceType.Topic, "orders", AclOperation.Read, pattern: AclPatternType.Prefixed),
            ["or-prefixed"] = Acl(AclResourceType.Topic, "or", AclOperation.Read, pattern: AclPatternType.Prefixed),
            ["star"] = Acl(AclResourceType.Topic, "*", AclOperation.Read),
            ["group"] = Acl(AclResourceType.Group, "orders", AclOperation.Read),
        };
        var filter = AclBindingFilter.All with { ResourceType = AclResourceType.Topic, ResourceName = name, PatternType = patternType };

        var selected = acls.Where(a => filter.Matches(a.Value)).Select(a => a.Key).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(expected.Order(StringComparer.Ordinal).ToArray(), selected);
    }

    [Theory]
    [InlineData(AclResourceType.Any, "t", AclPatternType.Literal, "User:a", "*", AclOperation.Read, AclPermissionType.Allow)]
    [InlineData(AclResourceType.Topic, "t", AclPatternType.Match, "User:a", "*", AclOperation.Read, AclPermissionType.Allow)]
    [InlineData(AclResourceType.Topic, "", AclPatternType.Literal, "User:a", "*", AclOperation.Read, AclPermissionType.Allow)]
    [InlineData(AclResourceType.Topic, "t", AclPatternType.Literal, "alice", "*", AclOperation.Read, AclPermissionType.Allow)]
    [InlineData(AclResourceType.Topic, "t", AclPatternType.Literal, "User:a", "*", AclOperation.Any, AclPermissionType.Allow)]
    [InlineData(AclResourceType.Topic, "t", AclPatternType.Literal, "User:a", "*", AclOperation.Read, AclPermissionType.Any)]
    [InlineData(AclResourceType.Cluster, "other", AclPatternType.Literal, "User:a", "*", AclOperation.Alter, AclPermissionType.Allow)]
    [InlineData(AclResourceType.Group, "g", AclPatternType.Literal, "User:a", "*", AclOperation.Write, AclPermissionType.Allow)]
    public void ValidationProblem_InvalidBinding_IsNamed(AclResourceType type, string name, AclPatternType pattern, string principal, string host, AclOperation operation, AclPermissionType permission)
    {
        var binding = new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, host, operation, permission));

        Assert.NotNull(binding.ValidationProblem());
    }
}
