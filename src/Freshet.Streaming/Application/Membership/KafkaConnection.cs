using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Streaming.Application.Membership.Security;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// One TCP connection to one broker, speaking Kafka's framing with Freshet's codec: a request is a frame with a
/// request header (v1, or v2 for flexible versions) and body; its response carries the same correlation id. The
/// connection opens with ApiVersions and then sends every API at the highest version both sides support
/// (<see cref="Versions"/>); a broker that lacks an API or version Freshet needs is refused with an
/// <see cref="UnsupportedBrokerVersionException"/> naming what is missing.
/// </summary>
/// <remarks>
/// <para>
/// One request is in flight at a time: <see cref="SendAsync{TRequest, TResponse}"/> holds a gate from writing the
/// request until its response is decoded, so responses arrive in request order and the correlation id check is a
/// plain comparison. That is all a group member needs (its requests are sequential by nature).
/// </para>
/// <para>
/// Failure model: any transport failure (refused, reset, end of stream), a timeout, a cancellation while a request
/// is in flight, a response larger than <see cref="KafkaConnectionOptions.MaxResponseBytes"/>, a wrong correlation
/// id or an undecodable response closes the connection for good (after a timeout or cancellation the broker's late
/// answer would otherwise be read as the next request's), and the call throws a
/// <see cref="KafkaConnectionException"/> naming the broker and the request (or
/// <see cref="OperationCanceledException"/> when the caller cancelled). Callers open a new connection.
/// </para>
/// <para>
/// Memory: the request buffer is reused and grows to the largest request sent; each response is read into an array
/// rented from the shared pool for its exact size (bounded by the limit) and returned once decoded. Decoded
/// messages own their bytes (the codec copies bytes fields), except record batches, which is why APIs whose
/// responses carry records are refused.
/// </para>
/// Thread-safety: every member is safe to call from any thread; requests are serialised.
/// </remarks>
internal sealed partial class KafkaConnection : IAsyncDisposable
{
    private const string ClientSoftwareName = "freshet";

    private readonly Socket _socket;
    private Stream _stream;
    private readonly KafkaConnectionOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PooledBufferWriter _requestBuffer = new();
    private readonly RequestHeader _header;
    private readonly byte[] _sizePrefix = new byte[FrameDecoder.SizePrefixBytes];
    private NegotiatedApiVersions? _versions;

    // When the SASL session the broker granted should be renewed (KIP-368), in the clock's ticks; long.MaxValue: never.
    private long _reauthenticateAtMs = long.MaxValue;
    private int _nextCorrelationId;
    private volatile bool _closed;

    private KafkaConnection(Socket socket, BrokerAddress address, KafkaConnectionOptions options)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options = options;
        _header = new RequestHeader { ClientId = options.ClientId };
        Address = address;
    }

    /// <summary>The broker this connection talks to.</summary>
    public BrokerAddress Address { get; }

    /// <summary>False once the connection failed or was disposed; it cannot be used again.</summary>
    public bool IsOpen => !_closed;

    /// <summary>The version of each API this connection sends, agreed with the broker when it opened.</summary>
    public NegotiatedApiVersions Versions => _versions ?? throw new InvalidOperationException("The connection has not finished its ApiVersions exchange.");

    /// <summary>
    /// Opens a connection to <paramref name="address"/> and agrees API versions with the broker.
    /// </summary>
    /// <param name="needed">The APIs the caller will send and the versions it can use; ApiVersions itself need not be listed.</param>
    /// <exception cref="KafkaConnectionException">The broker could not be reached or did not answer ApiVersions within <see cref="KafkaConnectionOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="UnsupportedBrokerVersionException">The broker lacks an API or version in <paramref name="needed"/>.</exception>
    public static async Task<KafkaConnection> ConnectAsync(BrokerAddress address, IReadOnlyList<ApiVersionRange> needed, KafkaConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(needed);
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, options.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new KafkaConnectionException($"Could not connect to the broker at {address} within {Seconds(options.ConnectTimeout)}.");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new KafkaConnectionException($"Could not connect to the broker at {address}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new KafkaConnection(socket, address, options);
        try
        {
            if (options.Security.UsesTls)
            {
                await connection.StartTlsAsync(linked.Token, cancellationToken).ConfigureAwait(false);
            }

            var ranges = await connection.ExchangeApiVersionsAsync(linked.Token, cancellationToken).ConfigureAwait(false);
            connection._versions = NegotiatedApiVersions.Negotiate(address, ranges, options.Security.SaslMechanism is null ? needed : [.. needed, .. SaslAuthentication.Needed]);
            if (options.Security.SaslMechanism is not null)
            {
                await connection.AuthenticateAsync(linked.Token, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Tries the brokers of <paramref name="addresses"/> in order and returns the first connection that opens.
    /// A broker that answers but lacks a needed API version ends the search at once: the brokers of one cluster
    /// run one version, so the next would refuse too, and the version error is the one the user must see.
    /// </summary>
    /// <exception cref="KafkaConnectionException">No broker could be reached; the message lists each one's failure.</exception>
    /// <exception cref="UnsupportedBrokerVersionException">A broker lacks an API or version in <paramref name="needed"/>.</exception>
    public static async Task<KafkaConnection> ConnectAnyAsync(IReadOnlyList<BrokerAddress> addresses, IReadOnlyList<ApiVersionRange> needed, KafkaConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count, nameof(addresses));
        List<KafkaConnectionException>? failures = null;
        foreach (var address in addresses)
        {
            try
            {
                return await ConnectAsync(address, needed, options, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaConnectionException ex)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures!.Count == 1)
        {
            throw failures[0];
        }

        var reasons = string.Join(" ", failures.Select(f => f.Message));
        throw new KafkaConnectionException($"Could not connect to any of the {addresses.Count} bootstrap servers: {reasons}", new AggregateException(failures));
    }

    /// <summary>
    /// Sends <paramref name="request"/> at the negotiated version and waits for its response.
    /// </summary>
    /// <param name="timeout">How long to wait for the response (after waiting for an earlier request to finish).</param>
    /// <exception cref="KafkaConnectionException">The connection failed, or no response came within <paramref name="timeout"/>; the connection is closed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; if a request was in flight the connection is closed.</exception>
    /// <exception cref="KafkaProtocolException">The request cannot be encoded (a string longer than the protocol allows); nothing was sent and the connection stays open.</exception>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(TRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        if (TResponse.ApiKey != TRequest.ApiKey)
        {
            throw new ArgumentException($"{typeof(TResponse).Name} does not answer {TRequest.ApiKey}.", nameof(request));
        }

        if (TRequest.ApiKey is ApiKeys.Fetch)
        {
            // Its record batches would be slices of the pooled response buffer (see the remarks).
            throw new NotSupportedException("KafkaConnection does not carry Fetch: its responses reference the receive buffer.");
        }

        using var timer = new CancellationTokenSource(timeout, _options.Clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        if (_options.Clock.GetUtcNow().ToUnixTimeMilliseconds() >= Volatile.Read(ref _reauthenticateAtMs))
        {
            await AuthenticateAsync(linked.Token, cancellationToken).ConfigureAwait(false);
        }

        return await ExchangeAsync<TRequest, TResponse>(request, Versions.VersionOf(TRequest.ApiKey), timeout, linked.Token, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection; a request in flight fails with <see cref="KafkaConnectionException"/>. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        Close();

        // The request buffer goes back to the pool only when no request can still be writing from it.
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _requestBuffer.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<ApiVersionRange>> ExchangeApiVersionsAsync(CancellationToken token, CancellationToken callerToken)
    {
        var request = new ApiVersionsRequest
        {
            ClientSoftwareName = ClientSoftwareName,
            ClientSoftwareVersion = typeof(KafkaConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        };
        var version = ApiVersionsRequest.HighestSupportedVersion;
        var response = await ExchangeAsync<ApiVersionsRequest, ApiVersionsResponse>(request, version, _options.ConnectTimeout, token, callerToken).ConfigureAwait(false);
        if (response.ErrorCode == KafkaErrorCode.UnsupportedVersion)
        {
            // KIP-511: a broker that does not know our ApiVersions version answers in v0 with its own range; ask
            // again at the highest version it knows.
            var brokerMax = FindMaxVersion(response, ApiKeys.ApiVersions);
            if (brokerMax is not { } max || max >= version || max < ApiVersionsRequest.LowestSupportedVersion)
            {
                var offered = brokerMax is { } m ? new ApiVersionRange(ApiKeys.ApiVersions, 0, m) : (ApiVersionRange?)null;
                var needed = new ApiVersionRange(ApiKeys.ApiVersions, ApiVersionsRequest.LowestSupportedVersion, version);
                throw new UnsupportedBrokerVersionException(Address, [new ApiVersionMismatch(ApiKeys.ApiVersions, offered, needed)]);
            }

            response = await ExchangeAsync<ApiVersionsRequest, ApiVersionsResponse>(request, max, _options.ConnectTimeout, token, callerToken).ConfigureAwait(false);
        }

        if (response.ErrorCode != KafkaErrorCode.None)
        {
            Close();
            throw new KafkaConnectionException($"The broker at {Address} answered ApiVersions with {KafkaErrorCode.Describe(response.ErrorCode)}.");
        }

        var ranges = new ApiVersionRange[response.ApiKeys.Count];
        for (var i = 0; i < ranges.Length; i++)
        {
            var key = response.ApiKeys[i];
            ranges[i] = new ApiVersionRange((ApiKeys)key.ApiKey, key.MinVersion, key.MaxVersion);
        }

        return ranges;
    }

    private static short? FindMaxVersion(ApiVersionsResponse response, ApiKeys apiKey)
    {
        foreach (var key in response.ApiKeys)
        {
            if (key.ApiKey == (short)apiKey)
            {
                return key.MaxVersion;
            }
        }

        return null;
    }

    /// <param name="token">Cancelled on timeout or by the caller.</param>
    /// <param name="callerToken">The caller's own token, to tell its cancellation from the timeout.</param>
    private async Task<TResponse> ExchangeAsync<TRequest, TResponse>(TRequest request, short version, TimeSpan timeout, CancellationToken token, CancellationToken callerToken)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        await EnterGateAsync(TRequest.ApiKey, timeout, token, callerToken).ConfigureAwait(false);
        try
        {
            return await ExchangeHoldingGateAsync<TRequest, TResponse>(request, version, timeout, token, callerToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnterGateAsync(ApiKeys apiKey, TimeSpan timeout, CancellationToken token, CancellationToken callerToken)
    {
        try
        {
            await _gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new KafkaConnectionException($"{apiKey} to the broker at {Address} could not be sent within {Seconds(timeout)}: an earlier request still waits for its response.");
        }
    }

    /// <summary>Sends one request and reads its response; the caller holds <see cref="_gate"/>.</summary>
    private async Task<TResponse> ExchangeHoldingGateAsync<TRequest, TResponse>(TRequest request, short version, TimeSpan timeout, CancellationToken token, CancellationToken callerToken)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        var apiKey = TRequest.ApiKey;
        if (_closed)
        {
            throw new KafkaConnectionException($"The connection to the broker at {Address} is closed; {apiKey} was not sent.");
        }

        var correlationId = unchecked(++_nextCorrelationId);
        _header.ApiKey = apiKey;
        _header.ApiVersion = version;
        _header.CorrelationId = correlationId;
        _requestBuffer.Clear();
        KafkaFrame.WriteRequest(_requestBuffer, _header, request);
        try
        {
            await _stream.WriteAsync(_requestBuffer.WrittenMemory, token).ConfigureAwait(false);
            await _stream.ReadExactlyAsync(_sizePrefix, token).ConfigureAwait(false);
            var size = BinaryPrimitives.ReadInt32BigEndian(_sizePrefix);
            if (size < 0 || size > _options.MaxResponseBytes)
            {
                Close();
                throw new KafkaConnectionException($"The broker at {Address} announced a {apiKey} response of {size} bytes; the limit is {_options.MaxResponseBytes} bytes. The connection is closed.");
            }

            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                await _stream.ReadExactlyAsync(buffer.AsMemory(0, size), token).ConfigureAwait(false);
                return Decode<TResponse>(buffer.AsMemory(0, size), correlationId, version);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            Close();
            throw;
        }
        catch (OperationCanceledException)
        {
            Close();
            throw new KafkaConnectionException($"The broker at {Address} did not answer {apiKey} v{version} within {Seconds(timeout)}. The connection is closed.");
        }
        catch (EndOfStreamException ex)
        {
            Close();
            throw new KafkaConnectionException($"The broker at {Address} closed the connection while Freshet waited for the {apiKey} response.", ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException && ex is not KafkaConnectionException)
        {
            Close();
            throw new KafkaConnectionException($"The connection to the broker at {Address} failed during {apiKey}: {ex.Message}", ex);
        }
        catch (KafkaProtocolException ex)
        {
            Close();
            throw new KafkaConnectionException($"The broker at {Address} sent a {apiKey} v{version} response Freshet cannot decode: {ex.Message}", ex);
        }
    }

    private TResponse Decode<TResponse>(ReadOnlyMemory<byte> payload, int correlationId, short version)
        where TResponse : IKafkaMessage<TResponse>
    {
        var reader = new KafkaReader(payload);
        var header = ResponseHeader.Read(ref reader, FlexibleVersions.ResponseHeaderVersion(TResponse.ApiKey, version));
        if (header.CorrelationId != correlationId)
        {
            Close();
            throw new KafkaConnectionException($"The broker at {Address} answered correlation id {header.CorrelationId} where {correlationId} ({TResponse.ApiKey}) was expected. The connection is closed.");
        }

        var body = payload[reader.Position..];
        try
        {
            return ReadBody<TResponse>(body, version);
        }
        catch (KafkaProtocolException) when (TResponse.ApiKey == ApiKeys.ApiVersions && version > 0)
        {
            // KIP-511: a broker that does not support the requested ApiVersions version answers with a v0 body
            // (error UNSUPPORTED_VERSION and its ranges), which does not decode at the version asked for.
            return ReadBody<TResponse>(body, 0);
        }
    }

    private static TResponse ReadBody<TResponse>(ReadOnlyMemory<byte> body, short version)
        where TResponse : IKafkaMessage<TResponse>
    {
        var reader = new KafkaReader(body);
        return TResponse.Read(ref reader, version);
    }

    private void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _stream.Dispose();
        _socket.Dispose();
    }

    private static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");
}
