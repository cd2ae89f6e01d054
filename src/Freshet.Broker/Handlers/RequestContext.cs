using System.Buffers;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Freshet.Kafka.Protocol.Framing;

namespace Freshet.Broker.Handlers;

/// <summary>
/// One request in flight: its header, the token that says the broker is stopping, buffers rented
/// for the response (returned after the response is written), and whether the connection must be
/// closed afterwards. Used by one request at a time; not thread-safe.
/// </summary>
internal sealed class RequestContext
{
    private List<byte[]>? _rented;

    /// <summary>Creates the context of a request read from connection <paramref name="connectionId"/>.</summary>
    /// <param name="clientAddress">The client's IP address (for example <c>127.0.0.1</c>), empty when unknown.</param>
    /// <param name="principal">Who sent the request; null: <see cref="KafkaPrincipal.Anonymous"/>.</param>
    /// <param name="listener">The listener the connection came in on; null: the broker's first listener (tests that call handlers directly).</param>
    public RequestContext(RequestHeader header, long connectionId, CancellationToken brokerStopping, string clientAddress = "", KafkaPrincipal? principal = null, BrokerListener? listener = null)
    {
        Header = header;
        ConnectionId = connectionId;
        BrokerStopping = brokerStopping;
        ClientAddress = clientAddress;
        Principal = principal ?? KafkaPrincipal.Anonymous;
        Listener = listener;
    }

    /// <summary>The client's IP address (for example <c>127.0.0.1</c>; the host ACLs match), empty when unknown.</summary>
    public string ClientAddress { get; }

    /// <summary>The client's address as Kafka reports it in DescribeGroups (for example <c>/127.0.0.1</c>).</summary>
    public string ClientHost => ClientAddress.Length == 0 ? "" : "/" + ClientAddress;

    /// <summary>Who sent the request: the authenticated user, the client certificate's subject, or <see cref="KafkaPrincipal.Anonymous"/>.</summary>
    public KafkaPrincipal Principal { get; }

    /// <summary>The listener the request's connection came in on; null for requests handled outside a connection (tests).</summary>
    public BrokerListener? Listener { get; }

    /// <summary>The SASL state of the request's connection; null on listeners without SASL (and outside a connection).</summary>
    public ConnectionAuthentication? Authentication { get; init; }

    /// <summary>The request header.</summary>
    public RequestHeader Header { get; }

    /// <summary>The request's API version (the body and response are at this version).</summary>
    public short ApiVersion => Header.ApiVersion;

    /// <summary>The correlation id the response carries back.</summary>
    public int CorrelationId => Header.CorrelationId;

    /// <summary>The broker-wide id of the connection the request came on (for tracing).</summary>
    public long ConnectionId { get; }

    /// <summary>
    /// Cancelled when the broker is stopping: waits (Fetch long polls) end early and answer with what
    /// they have, so shutdown finishes in-flight requests without delay.
    /// </summary>
    public CancellationToken BrokerStopping { get; }

    /// <summary>Set by a handler when the connection must be closed after this request (as Kafka does for a failed acks=0 produce).</summary>
    public bool CloseConnection { get; set; }

    /// <summary>
    /// Bytes the encoded response is expected to take (0 = unknown), set by handlers whose responses carry
    /// bulk data (Fetch). The connection reserves that much output space before encoding, so a response of
    /// a megabyte of records is copied into the output once, instead of again at every doubling of the
    /// buffer on the way up (which cost about twice the response size in extra copying).
    /// </summary>
    public int ResponseBytesHint { get; set; }

    /// <summary>Rents a buffer of at least <paramref name="minimumLength"/> bytes that stays valid until the response is written.</summary>
    public byte[] RentBuffer(int minimumLength)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(minimumLength);
        (_rented ??= []).Add(buffer);
        return buffer;
    }

    /// <summary>Returns every buffer rented through <see cref="RentBuffer"/>. Called by the connection once the response is written.</summary>
    public void ReturnBuffers()
    {
        if (_rented is null)
        {
            return;
        }

        foreach (var buffer in _rented)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _rented = null;
    }
}
