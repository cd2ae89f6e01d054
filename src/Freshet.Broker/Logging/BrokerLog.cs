using Freshet.Kafka.Protocol;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Logging;

/// <summary>
/// The broker's events (DESIGN.md decision 13; listed in docs/operations.md), with stable ids in 2000-2099. Generated
/// by the logging source generator: a disabled level costs one check and no formatting. Logged per connection, per
/// refused request and per group or producer transition, never per request served.
/// </summary>
internal static partial class BrokerLog
{
    /// <summary>Category of the broker's start and stop.</summary>
    public const string Category = "Freshet.Broker";

    /// <summary>Category of connection events and refused or malformed requests.</summary>
    public const string ConnectionsCategory = "Freshet.Broker.Connections";

    /// <summary>Category of consumer group rebalances and membership.</summary>
    public const string GroupsCategory = "Freshet.Broker.Groups";

    /// <summary>Category of transactional producers: epoch bumps that fence older instances, requests refused as fenced.</summary>
    public const string TransactionsCategory = "Freshet.Broker.Transactions";

    [LoggerMessage(EventId = 2000, EventName = "BrokerStarted", Level = LogLevel.Information,
        Message = "Broker {NodeId} of cluster {ClusterId} listening on {Listeners}, serving the log in '{DataDirectory}'.")]
    public static partial void BrokerStarted(this ILogger logger, int nodeId, string clusterId, string listeners, string dataDirectory);

    [LoggerMessage(EventId = 2001, EventName = "BrokerStopped", Level = LogLevel.Information,
        Message = "Broker {NodeId} stopped.")]
    public static partial void BrokerStopped(this ILogger logger, int nodeId);

    [LoggerMessage(EventId = 2010, EventName = "ConnectionOpened", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} from {Client} opened.")]
    public static partial void ConnectionOpened(this ILogger logger, long connectionId, string client);

    [LoggerMessage(EventId = 2011, EventName = "ConnectionClosed", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} from {Client} closed.")]
    public static partial void ConnectionClosed(this ILogger logger, long connectionId, string client);

    [LoggerMessage(EventId = 2012, EventName = "ConnectionIdle", Level = LogLevel.Information,
        Message = "Closing connection {ConnectionId} from {Client}: idle for more than {MaxIdleMs} ms (connections.max.idle.ms).")]
    public static partial void ConnectionIdle(this ILogger logger, long connectionId, string client, long maxIdleMs);

    /// <summary>A frame whose size prefix is refused (negative, or above socket.request.max.bytes): the connection is closed.</summary>
    [LoggerMessage(EventId = 2013, EventName = "FrameRefused", Level = LogLevel.Warning,
        Message = "Closing connection {ConnectionId} from {Client}: {Problem}")]
    public static partial void FrameRefused(this ILogger logger, long connectionId, string client, string problem);

    /// <summary>A request that cannot be decoded: the connection is closed, as Kafka does.</summary>
    [LoggerMessage(EventId = 2014, EventName = "MalformedRequest", Level = LogLevel.Warning,
        Message = "Closing connection {ConnectionId} from {Client}: malformed request: {Problem}")]
    public static partial void MalformedRequest(this ILogger logger, long connectionId, string client, string problem);

    [LoggerMessage(EventId = 2015, EventName = "UnsupportedRequest", Level = LogLevel.Warning,
        Message = "Closing connection {ConnectionId} from {Client}: unsupported API {ApiKey} version {ApiVersion}.")]
    public static partial void UnsupportedRequest(this ILogger logger, long connectionId, string client, short apiKey, short apiVersion);

    [LoggerMessage(EventId = 2016, EventName = "ResponseEncodingFailed", Level = LogLevel.Error,
        Message = "Closing connection {ConnectionId} from {Client}: the {ApiKey} v{ApiVersion} response could not be encoded.")]
    public static partial void ResponseEncodingFailed(this ILogger logger, Exception exception, long connectionId, string client, ApiKeys apiKey, short apiVersion);

    [LoggerMessage(EventId = 2017, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "Connection {ConnectionId} from {Client} closed after an unexpected failure.")]
    public static partial void ConnectionFailed(this ILogger logger, Exception exception, long connectionId, string client);

    [LoggerMessage(EventId = 2018, EventName = "AcceptFailed", Level = LogLevel.Warning,
        Message = "Accepting a connection failed; accepting goes on.")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2020, EventName = "GroupRebalancing", Level = LogLevel.Information,
        Message = "Group '{GroupId}' rebalances from generation {Generation} with {MemberCount} members: {Reason}.")]
    public static partial void GroupRebalancing(this ILogger logger, string groupId, int generation, int memberCount, string reason);

    [LoggerMessage(EventId = 2021, EventName = "GroupGenerationFormed", Level = LogLevel.Information,
        Message = "Group '{GroupId}' formed generation {Generation}: {MemberCount} members [{Members}], protocol '{Protocol}', leader '{Leader}'.")]
    public static partial void GroupGenerationFormed(this ILogger logger, string groupId, int generation, int memberCount, string members, string protocol, string leader);

    [LoggerMessage(EventId = 2022, EventName = "GroupMemberRemoved", Level = LogLevel.Information,
        Message = "Group '{GroupId}' removed member '{MemberId}': {Reason}.")]
    public static partial void GroupMemberRemoved(this ILogger logger, string groupId, string memberId, string reason);

    /// <summary>InitProducerId bumped a transactional id's epoch: any older instance of the producer is fenced from now on.</summary>
    [LoggerMessage(EventId = 2030, EventName = "ProducerEpochBumped", Level = LogLevel.Information,
        Message = "Transactional id '{TransactionalId}' is now producer {ProducerId} epoch {ProducerEpoch}; older epochs are fenced.")]
    public static partial void ProducerEpochBumped(this ILogger logger, string transactionalId, long producerId, short producerEpoch);

    [LoggerMessage(EventId = 2031, EventName = "FencedProducerRefused", Level = LogLevel.Warning,
        Message = "Refused {ApiKey} from a fenced producer on connection {ConnectionId} from {Client}: {Problem}")]
    public static partial void FencedProducerRefused(this ILogger logger, ApiKeys apiKey, long connectionId, string client, string problem);

    /// <summary>A TLS handshake failed (a plaintext client, bytes that are not TLS, an untrusted or missing client certificate, a timeout): that connection is closed.</summary>
    [LoggerMessage(EventId = 2070, EventName = "TlsHandshakeFailed", Level = LogLevel.Warning,
        Message = "Closing connection {ConnectionId} from {Client} on listener {Listener}: TLS handshake failed: {Problem}")]
    public static partial void TlsHandshakeFailed(this ILogger logger, long connectionId, string client, string listener, string problem);

    /// <summary>A TLS handshake succeeded; the principal is the client certificate's subject (mutual TLS) or User:ANONYMOUS.</summary>
    [LoggerMessage(EventId = 2071, EventName = "TlsConnectionEstablished", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} from {Client} on listener {Listener}: {TlsProtocol}, principal {Principal}.")]
    public static partial void TlsConnectionEstablished(this ILogger logger, long connectionId, string client, string listener, string tlsProtocol, string principal);

    /// <summary>The server certificate files changed and were loaded: new connections get the new certificate.</summary>
    [LoggerMessage(EventId = 2072, EventName = "TlsCertificateLoaded", Level = LogLevel.Information,
        Message = "TLS certificate '{Subject}' (valid until {NotAfter:u}) loaded from '{Location}'; new connections use it.")]
    public static partial void TlsCertificateLoaded(this ILogger logger, string subject, DateTime notAfter, string location);

    /// <summary>The certificate files changed but do not load: the previous certificate stays in use.</summary>
    [LoggerMessage(EventId = 2073, EventName = "TlsCertificateReloadFailed", Level = LogLevel.Warning,
        Message = "TLS certificate files changed ('{Location}') but cannot be loaded; the previous certificate stays in use: {Problem}")]
    public static partial void TlsCertificateReloadFailed(this ILogger logger, string location, string problem);
}
