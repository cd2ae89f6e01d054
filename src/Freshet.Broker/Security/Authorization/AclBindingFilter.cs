namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// Selects ACLs for DescribeAcls and DeleteAcls (Kafka's <c>AclBindingFilter</c>). Null names, principals and hosts
/// and the <c>Any</c> values match everything. The pattern type filter <see cref="AclPatternType.Any"/> matches
/// patterns of every type whose name equals <see cref="ResourceName"/>; <see cref="AclPatternType.Match"/> matches every
/// pattern that applies to the resource <see cref="ResourceName"/> (its literal name, the wildcard, and prefixes of it).
/// Immutable; thread-safe.
/// </summary>
public sealed record AclBindingFilter(
    AclResourceType ResourceType,
    string? ResourceName,
    AclPatternType PatternType,
    string? Principal,
    string? Host,
    AclOperation Operation,
    AclPermissionType Permission)
{
    /// <summary>The filter that matches every ACL.</summary>
    public static AclBindingFilter All { get; } = new(AclResourceType.Any, null, AclPatternType.Any, null, null, AclOperation.Any, AclPermissionType.Any);

    /// <summary>Why the filter cannot be used (INVALID_REQUEST, 42), or null: a field with an unknown code.</summary>
    public string? ValidationProblem() =>
        ResourceType == AclResourceType.Unknown ? "The filter's resource type is unknown."
        : PatternType == AclPatternType.Unknown ? "The filter's pattern type is unknown."
        : Operation == AclOperation.Unknown ? "The filter's operation is unknown."
        : Permission == AclPermissionType.Unknown ? "The filter's permission type is unknown."
        : null;

    /// <summary>Whether <paramref name="binding"/> is selected by this filter.</summary>
    public bool Matches(AclBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var pattern = binding.Pattern;
        var entry = binding.Entry;
        return (ResourceType == AclResourceType.Any || ResourceType == pattern.ResourceType)
            && MatchesPattern(pattern)
            && (Principal is null || string.Equals(Principal, entry.Principal, StringComparison.Ordinal))
            && (Host is null || string.Equals(Host, entry.Host, StringComparison.Ordinal))
            && (Operation == AclOperation.Any || Operation == entry.Operation)
            && (Permission == AclPermissionType.Any || Permission == entry.Permission);
    }

    private bool MatchesPattern(ResourcePattern pattern)
    {
        if (PatternType is not (AclPatternType.Any or AclPatternType.Match) && PatternType != pattern.PatternType)
        {
            return false;
        }

        if (ResourceName is null)
        {
            return true;
        }

        return PatternType == AclPatternType.Match
            ? pattern.Matches(ResourceName)
            : string.Equals(ResourceName, pattern.Name, StringComparison.Ordinal);
    }
}
