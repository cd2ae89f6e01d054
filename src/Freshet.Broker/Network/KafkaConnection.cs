using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Freshet.Broker.Handlers;
using Freshet.Broker.Logging;
using Freshet.Broker.Metrics;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Network;

/// <summary>
/// One client connection: reads frames with a <see cref="PipeReader"/> over the socket's stream (TLS already
/// negotiated by the listener on a TLS listener) and a
/// <see cref="FrameDecoder"/>, hands each request to its handler, and writes the responses.
/// <para>
/// Order: requests are handled one at a time in arrival order and responses are written in the same
/// order, as Kafka does; a client may pipeline many requests before reading. Responses accumulate in one
/// output buffer and are written together when no further complete request is buffered, or before the
/// connection starts waiting on a handler (a Fetch long poll), so earlier answers are never held back.
/// </para>
/// <para>
/// Bad input closes this connection only: a frame size that is negative or above the maximum, a header
/// or body that does not decode, an unknown API or an unsupported version (except ApiVersions, which is
/// answered with error 35 and the supported list). Nothing is appended for a request that fails to
/// decode, because decoding completes before a handler touches the log.
/// </para>
/// <para>
/// Memory: a frame's size is taken from the broker-wide <see cref="RequestMemoryBudget"/> as soon as its size
/// prefix is read, before the payload is buffered, and given back once the request has been handled; while the
/// budget is used up the connection waits before reading further. Frames larger than
/// <see cref="PooledFrameBytes"/> that arrive in pieces are copied into a plain array rather than a pooled one,
/// so a burst of large requests does not stay rented after it is handled; and a burst of large requests is
/// followed by one collection that returns the memory (<see cref="LargeRequestTrimmer"/>).
/// </para>
/// <para>
/// SASL: on a SASL listener a <see cref="ConnectionAuthentication"/> admits each request (before authentication only
/// ApiVersions, SaslHandshake and SaslAuthenticate, in frames of at most <see cref="SaslServer.MaxUnauthenticatedFrameBytes"/>),
/// takes the raw token frames that follow SaslHandshake v0, and supplies the authenticated principal of every request.
/// </para>
/// <para>
/// Idleness: <see cref="IsIdleLongerThan"/> reports a connection that has received no bytes, and had no
/// request in progress, for longer than a given time: fully idle, or stuck in the middle of a frame. The
/// listener closes such connections (<c>connections.max.idle.ms</c>). A request being handled (a Fetch long
/// poll) or waiting for the memory budget is not idleness.
/// </para>
/// Thread-safety: <see cref="RunAsync"/> runs once; <see cref="RequestStop"/>, <see cref="Abort"/> and
/// <see cref="IsIdleLongerThan"/> may be called from any thread.
/// </summary>
internal sealed class KafkaConnection : IDisposable
{
    /// <summary>An output buffer that grew past this is released after it is written, so an idle connection holds little memory.</summary>
    private const int RetainedOutputBytes = 1024 * 1024;

    /// <summary>Frames split across pipe segments are copied into a pooled array up to this size, into a plain one above it.</summary>
    internal const int PooledFrameBytes = 1024 * 1024;

    /// <summary>The 4-byte size that precedes each request and response frame.</summary>
    private const int FrameSizePrefixBytes = 4;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly FrameDecoder _decoder;
    private readonly ApiDispatcher _dispatcher;
    private readonly CancellationToken _brokerStopping;
    private readonly RequestMemoryBudget _budget;
    private readonly LargeRequestTrimmer _trimmer;
    private readonly ILogger _logger;
    private readonly BrokerMetrics? _metrics;
    private readonly CancellationTokenSource _closing = new();
    private int _reservedBytes;

    // Environment.TickCount64 of the last bytes received or request finished; 0 while a request is in progress.
    private long _lastActivityMs = Environment.TickCount64;
    private PooledBufferWriter _output = new(4096);
    private readonly string _clientAddress;
    private readonly BrokerListener _listener;
    private readonly KafkaPrincipal _principal;

    // The SASL state on SASL listeners, null on others: requests before authentication are limited, and the principal is the authenticated user.
    private readonly ConnectionAuthentication? _authentication;
    private volatile bool _stopRequested;

    // Set when encoding a response failed midway: the output holds a partial frame and must never be sent.
    private bool _outputBroken;

    /// <param name="stream">The connection's bytes, already through the TLS handshake on a TLS listener (it owns <paramref name="socket"/>); null: a <see cref="NetworkStream"/> over <paramref name="socket"/>.</param>
    /// <param name="principal">Who the client is after the handshake (its certificate subject under mutual TLS); null: <see cref="KafkaPrincipal.Anonymous"/>. On a SASL listener the authenticated user replaces it, as in Kafka.</param>
    /// <param name="sasl">The SASL mechanisms and users of a SASL listener; required there, unused elsewhere.</param>
    public KafkaConnection(long id, Socket socket, BrokerListener listener, int maxFrameBytes, RequestMemoryBudget budget, LargeRequestTrimmer trimmer, ApiDispatcher dispatcher, CancellationToken brokerStopping, ILogger? logger = null, BrokerMetrics? metrics = null, Stream? stream = null, KafkaPrincipal? principal = null, SaslServer? sasl = null)
    {
        _listener = listener;
        _principal = principal ?? KafkaPrincipal.Anonymous;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        Client = socket.RemoteEndPoint?.ToString() ?? "an unknown address";
        _budget = budget;
        _trimmer = trimmer;
        Id = id;
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        _decoder = new FrameDecoder(maxFrameBytes);
        _dispatcher = dispatcher;
        _brokerStopping = brokerStopping;
        _authentication = listener.Protocol.UsesSasl()
            ? new ConnectionAuthentication(sasl ?? throw new ArgumentNullException(nameof(sasl), $"Listener {listener.Name} uses SASL and needs a SaslServer."), id, Client)
            : null;
        _clientAddress = socket.RemoteEndPoint is System.Net.IPEndPoint remote ? (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString() : "";
    }

    /// <summary>The broker-wide connection number (in log events).</summary>
    public long Id { get; }

    /// <summary>The peer's address and port (in log events).</summary>
    public string Client { get; }

    /// <summary>Serves the connection until the peer closes it, it sends bad input, or the broker stops; then closes the socket. Never throws.</summary>
    public async Task RunAsync()
    {
        _logger.ConnectionOpened(Id, Client);
        try
        {
            await ServeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away or the broker aborted the connection.
        }
#pragma warning disable CA1031 // A handler bug must close this one connection, never the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.ConnectionFailed(e, Id, Client);
        }
        finally
        {
            ReleaseReservation();
            await _input.CompleteAsync().ConfigureAwait(false);
            Dispose();
            _logger.ConnectionClosed(Id, Client);
        }
    }

    /// <summary>Whether no bytes have arrived and no request has been in progress for more than <paramref name="idleMs"/> milliseconds.</summary>
    public bool IsIdleLongerThan(long idleMs, long nowMs)
    {
        var last = Volatile.Read(ref _lastActivityMs);
        return last != 0 && nowMs - last > idleMs;
    }

    /// <summary>Closes the socket and releases the output buffer. Called by <see cref="RunAsync"/> when it ends; idempotent.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        _output.Dispose();
        _closing.Dispose();
    }

    /// <summary>Asks the connection to stop after the request it is handling: the response is written, then the socket is closed.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        _input.CancelPendingRead();
        CancelBudgetWait();
    }

    /// <summary>Closes the socket now, abandoning any request in progress.</summary>
    public void Abort()
    {
        _stopRequested = true;
        _socket.Close(0);
        CancelBudgetWait();
    }

    private void CancelBudgetWait()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection has already finished.
        }
    }

    private void ReleaseReservation()
    {
        if (_reservedBytes > 0)
        {
            _budget.Release(_reservedBytes);
            _reservedBytes = 0;
        }
    }

    private async Task ServeAsync()
    {
        while (!_stopRequested)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            Volatile.Write(ref _lastActivityMs, Environment.TickCount64);
            var buffer = result.Buffer;
            var close = false;
            try
            {
                while (!_stopRequested)
                {
                    ReadOnlySequence<byte> payload;
                    try
                    {
                        if (!_decoder.TryReadSize(buffer, out var size))
                        {
                            break;
                        }

                        if (_authentication is { } authentication && !authentication.AcceptsFrameOf(size))
                        {
                            _logger.FrameRefused(Id, Client, $"a frame of {size} bytes before SASL authentication completed (at most {SaslServer.MaxUnauthenticatedFrameBytes}).");
                            close = true;
                            break;
                        }

                        if (_reservedBytes == 0 && size > 0)
                        {
                            // Account for the payload before buffering it; waiting here stops reading this socket.
                            Volatile.Write(ref _lastActivityMs, 0);
                            await _budget.AcquireAsync(size, _closing.Token).ConfigureAwait(false);
                            _reservedBytes = size;
                            Volatile.Write(ref _lastActivityMs, Environment.TickCount64);
                        }

                        if (!_decoder.TryReadFrame(ref buffer, out payload))
                        {
                            break;
                        }
                    }
                    catch (KafkaProtocolException e)
                    {
                        _logger.FrameRefused(Id, Client, e.Message);
                        close = true;
                        break;
                    }

                    Volatile.Write(ref _lastActivityMs, 0);
                    var handled = await HandleFrameAsync(payload).ConfigureAwait(false);
                    ReleaseReservation();
                    _trimmer.LargeRequestHandled((int)payload.Length);
                    Volatile.Write(ref _lastActivityMs, Environment.TickCount64);
                    if (!handled)
                    {
                        close = true;
                        break;
                    }
                }

                // Answers to the requests before a bad frame still go out.
                await FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (close || result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Handles one request frame; false when the connection must be closed.</summary>
    private async ValueTask<bool> HandleFrameAsync(ReadOnlySequence<byte> payload)
    {
        // The codec needs contiguous bytes; a frame split across pipe segments is copied once.
        byte[]? copy = null;
        ReadOnlyMemory<byte> frame;
        if (payload.IsSingleSegment)
        {
            frame = payload.First;
        }
        else if (payload.Length <= PooledFrameBytes)
        {
            copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
            payload.CopyTo(copy);
            frame = copy.AsMemory(0, (int)payload.Length);
        }
        else
        {
            var large = GC.AllocateUninitializedArray<byte>((int)payload.Length);
            payload.CopyTo(large);
            frame = large;
        }

        try
        {
            if (_authentication is { ExpectsRawToken: true } authentication)
            {
                return authentication.HandleRawToken(frame.Span, Environment.TickCount64, _output);
            }

            return await HandleRequestAsync(frame).ConfigureAwait(false);
        }
        catch (KafkaProtocolException e)
        {
            _logger.MalformedRequest(Id, Client, e.Message);
            return false;
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }

    private async ValueTask<bool> HandleRequestAsync(ReadOnlyMemory<byte> frame)
    {
        var reader = new KafkaReader(frame);
        var header = RequestHeader.Read(ref reader);
        var body = frame[reader.Position..];
        var startTimestamp = Stopwatch.GetTimestamp();
        var outputBefore = _output.WrittenCount;
        if (!_dispatcher.TryGetHandler(header.ApiKey, header.ApiVersion, out var handler))
        {
            if (header.ApiKey == ApiKeys.ApiVersions)
            {
                ApiVersionsHandler.WriteUnsupportedVersion(_dispatcher, header.CorrelationId, _output);
                _metrics?.RequestHandled(header.ApiKey, startTimestamp, FrameSizePrefixBytes + frame.Length, _output.WrittenCount - outputBefore);
                return true;
            }

            // Kafka closes the connection for requests it cannot parse: there is no response format to answer in.
            _logger.UnsupportedRequest(Id, Client, (short)header.ApiKey, header.ApiVersion);
            return false;
        }

        if (_authentication is { } authentication && !authentication.Admit(header, Environment.TickCount64, out var refusal))
        {
            // Kafka closes the connection without an answer (ILLEGAL_SASL_STATE, or a session that expired).
            _logger.FrameRefused(Id, Client, refusal);
            return false;
        }

        var context = new RequestContext(header, Id, _brokerStopping, _clientAddress, _authentication?.Principal ?? _principal, _listener) { Authentication = _authentication };
        try
        {
            var pending = handler.HandleAsync(context, body);
            if (!pending.IsCompleted)
            {
                // The handler is waiting (a long poll): send what is ready instead of holding it back.
                await FlushAsync().ConfigureAwait(false);
                outputBefore = _output.WrittenCount;
            }

            var response = await pending.ConfigureAwait(false);
            if (response is not null)
            {
                try
                {
                    if (context.ResponseBytesHint > 0)
                    {
                        _output.GetSpan(context.ResponseBytesHint);
                    }

                    handler.WriteResponse(context, response, _output);
                }
                catch (KafkaProtocolException e)
                {
                    _outputBroken = true;
                    _logger.ResponseEncodingFailed(e, Id, Client, header.ApiKey, header.ApiVersion);
                    return false;
                }
            }

            _metrics?.RequestHandled(header.ApiKey, startTimestamp, FrameSizePrefixBytes + frame.Length, _output.WrittenCount - outputBefore);
            return !context.CloseConnection;
        }
        finally
        {
            context.ReturnBuffers();
        }
    }

    private async ValueTask FlushAsync()
    {
        if (_output.WrittenCount == 0 || _outputBroken)
        {
            return;
        }

        await _stream.WriteAsync(_output.WrittenMemory).ConfigureAwait(false);
        if (_output.WrittenCount > RetainedOutputBytes)
        {
            _output.Dispose();
            _output = new PooledBufferWriter(4096);
        }
        else
        {
            _output.Clear();
        }
    }
}
