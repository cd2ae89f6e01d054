namespace Freshet.Broker.Security.Authorization;

/// <summary>Whether an ACL allows or denies, with Kafka's <c>AclPermissionType</c> codes. A matching deny beats every allow.</summary>
public enum AclPermissionType : byte
{
    /// <summary>A code this broker does not know.</summary>
    Unknown = 0,

    /// <summary>Filters only: either permission.</summary>
    Any = 1,

    /// <summary>The operation is refused, whatever else allows it.</summary>
    Deny = 2,

    /// <summary>The operation is allowed unless a deny matches.</summary>
    Allow = 3,
}
