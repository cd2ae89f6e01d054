namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// One ACL: a resource pattern bound to an access control entry (Kafka's <c>AclBinding</c>). Two equal bindings are
/// the same ACL: the store keeps each once. Immutable; thread-safe.
/// </summary>
/// <param name="Pattern">The resources the ACL applies to.</param>
/// <param name="Entry">The principal, host, operation and permission.</param>
public sealed record AclBinding(ResourcePattern Pattern, AccessControlEntry Entry)
{
    /// <summary>
    /// Why this binding cannot be stored (Kafka answers such a creation with INVALID_REQUEST, 42), or null when it can:
    /// filter-only values (any, match, unknown), an empty name, a cluster not named <c>kafka-cluster</c>, a principal not
    /// written <c>Type:Name</c>, an empty host, or an operation that does not apply to the resource type.
    /// </summary>
    public string? ValidationProblem()
    {
        if (Pattern.ResourceType is AclResourceType.Unknown or AclResourceType.Any)
        {
            return $"Invalid resource type {Pattern.ResourceType}: an ACL names a topic, group, cluster, transactional id, delegation token or user.";
        }

        if (Pattern.PatternType is not (AclPatternType.Literal or AclPatternType.Prefixed))
        {
            return $"Invalid pattern type {Pattern.PatternType}: an ACL's pattern is literal or prefixed.";
        }

        if (string.IsNullOrEmpty(Pattern.Name))
        {
            return "Resource name should not be empty.";
        }

        if (Pattern.ResourceType == AclResourceType.Cluster && (Pattern.Name != ResourcePattern.ClusterName || Pattern.PatternType != AclPatternType.Literal))
        {
            return $"The cluster resource is the literal name '{ResourcePattern.ClusterName}' (got {Pattern.PatternType} '{Pattern.Name}').";
        }

        if (Entry.Operation is AclOperation.Unknown or AclOperation.Any)
        {
            return $"Invalid operation {Entry.Operation}.";
        }

        if (Entry.Permission is not (AclPermissionType.Allow or AclPermissionType.Deny))
        {
            return $"Invalid permission type {Entry.Permission}: an ACL allows or denies.";
        }

        var colon = Entry.Principal?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || colon == Entry.Principal!.Length - 1)
        {
            return $"Could not parse principal from '{Entry.Principal}': a principal is written Type:Name, for example User:alice.";
        }

        if (string.IsNullOrEmpty(Entry.Host))
        {
            return "Host should not be empty: name an IP address, or * for every host.";
        }

        if (Entry.Operation != AclOperation.All && (AclOperations.SupportedBits(Pattern.ResourceType) & (1 << (int)Entry.Operation)) == 0)
        {
            return $"Operation {Entry.Operation} does not apply to resource type {Pattern.ResourceType}.";
        }

        return null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Entry} on {Pattern}";
}
