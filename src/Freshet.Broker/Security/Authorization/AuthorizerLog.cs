using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// The authorizer's events, ids 2060-2069 of the broker's range (docs/security.md), in category
/// <see cref="Category"/>. Logged per ACL change, never per request checked.
/// </summary>
internal static partial class AuthorizerLog
{
    /// <summary>Category of ACL changes and reloads.</summary>
    public const string Category = "Freshet.Broker.Authorization";

    [LoggerMessage(EventId = 2060, EventName = "AclsReloaded", Level = LogLevel.Information,
        Message = "ACLs reloaded from {File} after a change by another process: {Count} ACLs")]
    public static partial void AclsReloaded(this ILogger logger, string file, int count);

    [LoggerMessage(EventId = 2061, EventName = "AclsReloadFailed", Level = LogLevel.Warning,
        Message = "The ACL file {File} could not be reloaded; the ACLs last read stay in force")]
    public static partial void AclsReloadFailed(this ILogger logger, Exception exception, string file);

    [LoggerMessage(EventId = 2062, EventName = "AclsChanged", Level = LogLevel.Information,
        Message = "{Principal} {Change} {Count} ACLs through the ACL APIs")]
    public static partial void AclsChanged(this ILogger logger, KafkaPrincipal principal, string change, int count);
}
