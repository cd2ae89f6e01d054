using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// The broker's SASL events (ids 2080-2089, category <see cref="Category"/>): successful authentications and
/// re-authentications at Debug, failures and refused requests at Information (a failed login is the client's problem,
/// not the broker's). Passwords and tokens are never logged.
/// </summary>
internal static partial class SaslLog
{
    /// <summary>Category of SASL authentication events.</summary>
    public const string Category = "Freshet.Broker.Authentication";

    [LoggerMessage(EventId = 2080, EventName = "SaslAuthenticated", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} from {Client} authenticated as {Principal} with {Mechanism}; session lifetime {SessionLifetimeMs} ms (0: unlimited).")]
    public static partial void Authenticated(this ILogger logger, long connectionId, string client, KafkaPrincipal principal, string mechanism, long sessionLifetimeMs);

    [LoggerMessage(EventId = 2081, EventName = "SaslReauthenticated", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} from {Client} re-authenticated as {Principal} with {Mechanism}; session lifetime {SessionLifetimeMs} ms.")]
    public static partial void Reauthenticated(this ILogger logger, long connectionId, string client, KafkaPrincipal principal, string mechanism, long sessionLifetimeMs);

    [LoggerMessage(EventId = 2082, EventName = "SaslAuthenticationFailed", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} from {Client}: SASL {Mechanism} authentication failed ({Detail}); closing it.")]
    public static partial void AuthenticationFailed(this ILogger logger, long connectionId, string client, string mechanism, string detail);

    [LoggerMessage(EventId = 2083, EventName = "SaslRequestRefused", Level = LogLevel.Information,
        Message = "Closing connection {ConnectionId} from {Client}: {Problem}")]
    public static partial void RequestRefused(this ILogger logger, long connectionId, string client, string problem);
}
