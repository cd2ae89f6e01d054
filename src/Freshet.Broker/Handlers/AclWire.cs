using Freshet.Broker.Security.Authorization;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Reads the ACL APIs' int8 codes into the authorization enums (a code outside Kafka's range reads as <c>Unknown</c>, which
/// validation refuses), and holds what the three ACL handlers share. Stateless; thread-safe.
/// </summary>
internal static class AclWire
{
    /// <summary>The resource type with wire code <paramref name="code"/>.</summary>
    public static AclResourceType ResourceType(sbyte code) => code is >= 0 and <= (sbyte)AclResourceType.User ? (AclResourceType)code : AclResourceType.Unknown;

    /// <summary>The pattern type with wire code <paramref name="code"/>.</summary>
    public static AclPatternType PatternType(sbyte code) => code is >= 0 and <= (sbyte)AclPatternType.Prefixed ? (AclPatternType)code : AclPatternType.Unknown;

    /// <summary>The operation with wire code <paramref name="code"/>.</summary>
    public static AclOperation Operation(sbyte code) => code is >= 0 and <= (sbyte)AclOperation.DescribeTokens ? (AclOperation)code : AclOperation.Unknown;

    /// <summary>The permission type with wire code <paramref name="code"/>.</summary>
    public static AclPermissionType Permission(sbyte code) => code is >= 0 and <= (sbyte)AclPermissionType.Allow ? (AclPermissionType)code : AclPermissionType.Unknown;

    /// <summary>
    /// Why the request may not use the ACL APIs, or null: SECURITY_DISABLED (54) when authorization is off (as a Kafka
    /// broker without an authorizer answers), CLUSTER_AUTHORIZATION_FAILED (31) without <paramref name="operation"/> on
    /// the cluster (ALTER to create and delete, DESCRIBE to describe).
    /// </summary>
    public static (short Code, string Message)? Refusal(Authorizer authorizer, RequestContext context, AclOperation operation) =>
        !authorizer.IsEnabled ? (KafkaErrorCode.SecurityDisabled, "No authorizer is configured on the broker (authorizer.class.name).")
        : !authorizer.AllowsCluster(context, operation) ? (KafkaErrorCode.ClusterAuthorizationFailed, $"Managing ACLs needs {(operation == AclOperation.Alter ? "ALTER" : "DESCRIBE")} on the cluster.")
        : null;
}
