namespace Freshet.Broker.Security.Authorization;

/// <summary>How an ACL's resource name is matched, with Kafka's <c>PatternType</c> codes.</summary>
public enum AclPatternType : byte
{
    /// <summary>A code this broker does not know.</summary>
    Unknown = 0,

    /// <summary>Filters only: any pattern type whose name equals the filter's name.</summary>
    Any = 1,

    /// <summary>
    /// Filters only: every pattern that applies to the filter's resource name: the literal name, the literal
    /// wildcard <c>*</c>, and every prefixed pattern the name starts with.
    /// </summary>
    Match = 2,

    /// <summary>The resource named exactly, or every resource of the type when the name is <c>*</c>.</summary>
    Literal = 3,

    /// <summary>Every resource whose name starts with the pattern's name.</summary>
    Prefixed = 4,
}
