using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// Starts brokers with authorization on and grants ACLs to the test clients. Every client here is
/// <c>User:ANONYMOUS</c> connecting from 127.0.0.1, so ACLs name that principal and host (or another host, to deny by
/// address). ACLs are written to the broker's store file as <c>freshet acls --data</c> writes them; the broker looks at
/// the file before every check (refresh interval zero), so a grant applies to the next request.
/// </summary>
internal static class AclTestBroker
{
    public const string Principal = "User:ANONYMOUS";
    public const string ThisHost = "127.0.0.1";
    public const string OtherHost = "10.9.8.7";

    public static Task<BrokerHarness> StartAsync(AuthorizationOptions? options = null) =>
        BrokerHarness.StartAsync(new BrokerOptions { Authorization = (options ?? new AuthorizationOptions()) with { Enabled = true, RefreshInterval = TimeSpan.Zero } });

    public static void Grant(this BrokerHarness harness, params AclBinding[] acls) => AclStore.Open(harness.Directory).Add(acls);

    public static AclBinding Allow(AclResourceType type, string name, AclOperation operation, string host = "*", AclPatternType pattern = AclPatternType.Literal) =>
        new(new ResourcePattern(type, name, pattern), new AccessControlEntry(Principal, host, operation, AclPermissionType.Allow));

    public static AclBinding Deny(AclResourceType type, string name, AclOperation operation, string host = "*", AclPatternType pattern = AclPatternType.Literal) =>
        new(new ResourcePattern(type, name, pattern), new AccessControlEntry(Principal, host, operation, AclPermissionType.Deny));

    public static AclBinding Topic(string name, AclOperation operation, string host = "*") => Allow(AclResourceType.Topic, name, operation, host);

    public static AclBinding Group(string name, AclOperation operation) => Allow(AclResourceType.Group, name, operation);

    public static AclBinding TransactionalId(string name, AclOperation operation) => Allow(AclResourceType.TransactionalId, name, operation);

    public static AclBinding ClusterAcl(AclOperation operation) => Allow(AclResourceType.Cluster, ResourcePattern.ClusterName, operation);
}
