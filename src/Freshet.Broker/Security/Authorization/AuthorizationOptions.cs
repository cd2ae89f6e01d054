namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// Whether the broker checks ACLs, and its exceptions (Kafka's <c>authorizer.class.name</c>, <c>super.users</c> and
/// <c>allow.everyone.if.no.acl.found</c>). Off by default: every principal may do everything, and the ACL APIs answer
/// SECURITY_DISABLED (54), as a Kafka broker without an authorizer. When on, ACLs are kept in <c>acls.json</c> in the
/// data directory (<see cref="AclStore"/>). Immutable; thread-safe.
/// </summary>
public sealed record AuthorizationOptions
{
    /// <summary>The options of a broker that checks nothing.</summary>
    public static AuthorizationOptions Disabled { get; } = new();

    /// <summary>Whether requests are checked against the ACLs (default false).</summary>
    public bool Enabled { get; init; }

    /// <summary>Principals allowed every operation on every resource, whatever the ACLs say (Kafka's <c>super.users</c>).</summary>
    public IReadOnlyList<KafkaPrincipal> SuperUsers { get; init; } = [];

    /// <summary>
    /// What happens when no ACL at all applies to a resource (Kafka's <c>allow.everyone.if.no.acl.found</c>, default
    /// false): true allows every principal, false denies everyone but super users.
    /// </summary>
    public bool AllowEveryoneIfNoAclFound { get; init; }

    /// <summary>
    /// How often, at most, the broker looks at <c>acls.json</c>'s timestamp to pick up changes made by another process
    /// (<c>freshet acls --data</c>) while it runs (default 1 s). Changes through the ACL APIs apply at once.
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);
}
