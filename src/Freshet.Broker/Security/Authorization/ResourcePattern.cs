namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// The resources an ACL applies to: a resource type, a name, and how the name matches (Kafka's <c>ResourcePattern</c>).
/// A literal pattern named <see cref="WildcardName"/> matches every resource of its type; a prefixed pattern matches
/// every name that starts with its name. The cluster is always named <see cref="ClusterName"/>. Immutable; thread-safe.
/// </summary>
/// <param name="ResourceType">The type of the resources.</param>
/// <param name="Name">The resource name, the prefix, or <see cref="WildcardName"/>.</param>
/// <param name="PatternType"><see cref="AclPatternType.Literal"/> or <see cref="AclPatternType.Prefixed"/>.</param>
public sealed record ResourcePattern(AclResourceType ResourceType, string Name, AclPatternType PatternType)
{
    /// <summary>The name of the one cluster resource, as in Kafka.</summary>
    public const string ClusterName = "kafka-cluster";

    /// <summary>The literal name that matches every resource of a type.</summary>
    public const string WildcardName = "*";

    /// <summary>Whether the pattern applies to the resource <paramref name="resourceName"/> of its type.</summary>
    public bool Matches(string resourceName) => PatternType switch
    {
        AclPatternType.Literal => Name == WildcardName || string.Equals(Name, resourceName, StringComparison.Ordinal),
        AclPatternType.Prefixed => resourceName.StartsWith(Name, StringComparison.Ordinal),
        _ => false,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{ResourceType}:{PatternType}:{Name}";
}
