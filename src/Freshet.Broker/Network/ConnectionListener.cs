using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Freshet.Broker.Handlers;
using Freshet.Broker.Logging;
using Freshet.Broker.Metrics;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Network;

/// <summary>
/// Accepts TCP connections on one <see cref="BrokerListener"/> and runs a <see cref="KafkaConnection"/> for each, concurrently
/// (on a TLS listener, after the connection's TLS handshake, bounded by <c>ssl.handshake.timeout.ms</c>). Tracks live
/// connections so <see cref="StopAsync"/> can stop accepting, let each finish its request in flight, and
/// wait for them (closing stragglers after a timeout). Its connections share the broker-wide
/// <see cref="RequestMemoryBudget"/> with the other listeners' connections, and it closes connections idle longer than <c>connections.max.idle.ms</c>
/// (checked by one background loop, a tenth of the idle time apart, at most once a second).
/// Thread-safety: <see cref="Start"/> once, then <see cref="StopAsync"/> once; the accept loop and the
/// connections run on the thread pool.
/// </summary>
internal sealed class ConnectionListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<long, (KafkaConnection Connection, Task Run)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private ApiDispatcher? _dispatcher;
    private int _maxFrameBytes;
    private RequestMemoryBudget _budget = new(0);
    private LargeRequestTrimmer _trimmer = null!;
    private long _maxIdleMs = -1;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _idleLoop = Task.CompletedTask;
    // Connection ids are unique across the listeners of the process, so log events never mix two connections.
    private static long s_nextConnectionId;
    private ILogger _logger = NullLogger.Instance;
    private BrokerMetrics? _metrics;
    private TlsServer? _tls;

    // TLS handshakes in progress, by connection id: not yet connections, but StopAsync waits for them to end.
    private readonly ConcurrentDictionary<long, Task> _handshakes = new();

    private SaslServer? _sasl;

    /// <summary>Binds to <paramref name="endPoint"/> (port 0 picks a free one) and starts listening for connections of <paramref name="settings"/>.</summary>
    /// <exception cref="SocketException">The address is in use or cannot be bound.</exception>
    public ConnectionListener(BrokerListener settings, IPEndPoint endPoint)
    {
        _listener = new TcpListener(endPoint);
        _listener.Server.NoDelay = true;
        _listener.Start(backlog: 512);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        Settings = settings with { Port = LocalEndPoint.Port };
    }

    /// <summary>The listener this accepts connections for, with its bound port.</summary>
    public BrokerListener Settings { get; }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Cancelled when stopping begins: handlers' waits end early.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Bytes of requests read and not yet handled, across all connections of all listeners.</summary>
    public RequestMemoryBudget Budget => _budget;

    /// <summary>Number of open connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// Starts accepting connections, served by <paramref name="dispatcher"/>, with frames up to
    /// <paramref name="maxFrameBytes"/>, requests in flight bounded by <paramref name="budget"/> and large ones
    /// trimmed after by <paramref name="trimmer"/> (both shared by the broker's listeners), and connections closed after <paramref name="maxIdleMs"/> idle (negative: never); connection
    /// events go to <paramref name="logger"/>, requests are counted in <paramref name="metrics"/> (null: not counted). On a
    /// TLS listener every connection first completes a handshake with <paramref name="tls"/>; one that fails is logged
    /// and closed without becoming a connection. SASL listeners' connections authenticate with <paramref name="sasl"/>.
    /// </summary>
    public void Start(ApiDispatcher dispatcher, int maxFrameBytes, RequestMemoryBudget budget, LargeRequestTrimmer trimmer, long maxIdleMs, ILogger? logger = null, BrokerMetrics? metrics = null, TlsServer? tls = null, SaslServer? sasl = null)
    {
        if (Settings.Protocol.UsesTls() && tls is null)
        {
            throw new ArgumentException($"Listener {Settings.Name} uses {Settings.Protocol.KafkaName()} but no TLS certificate is configured (BrokerOptions.Tls).", nameof(tls));
        }

        _tls = Settings.Protocol.UsesTls() ? tls : null;
        _sasl = sasl;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        _dispatcher = dispatcher;
        _maxFrameBytes = maxFrameBytes;
        _budget = budget;
        _trimmer = trimmer;
        _maxIdleMs = maxIdleMs;
        _acceptLoop = Task.Run(AcceptLoopAsync);
        if (maxIdleMs >= 0)
        {
            _idleLoop = Task.Run(CloseIdleConnectionsAsync);
        }
    }

    private async Task CloseIdleConnectionsAsync()
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_maxIdleMs / 10, 10, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var (connection, _) in _connections.Values)
                {
                    if (connection.IsIdleLongerThan(_maxIdleMs, now))
                    {
                        _logger.ConnectionIdle(connection.Id, connection.Client, _maxIdleMs);
                        connection.Abort();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The broker is stopping.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted (or descriptors exhausted): keep accepting.
                _logger.AcceptFailed(e);
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            socket.NoDelay = true;
            var id = Interlocked.Increment(ref s_nextConnectionId);
            if (_tls is null)
            {
                Serve(new KafkaConnection(id, socket, Settings, _maxFrameBytes, _budget, _trimmer, _dispatcher!, _stopping.Token, _logger, _metrics, sasl: _sasl));
            }
            else
            {
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _handshakes[id] = HandshakeAsync(id, socket, _tls, started.Task);
                started.SetResult();
            }
        }
    }

    private void Serve(KafkaConnection connection)
    {
        // Register before starting, so the finished connection's removal cannot run before its addition.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunConnectionAsync(connection, started.Task);
        _connections[connection.Id] = (connection, run);
        started.SetResult();
    }

    /// <summary>
    /// The TLS handshake of connection <paramref name="id"/>, then its service. Never throws: a failed handshake closes
    /// this socket only, with a log event. A handshake that ends after stopping began closes its socket, so StopAsync,
    /// which waits for handshakes before it looks at the connections, never misses one.
    /// </summary>
    private async Task HandshakeAsync(long id, Socket socket, TlsServer tls, Task started)
    {
        await started.ConfigureAwait(false);
        var client = socket.RemoteEndPoint?.ToString() ?? "an unknown address";
        try
        {
            var (stream, principal) = await tls.AuthenticateAsync(new NetworkStream(socket, ownsSocket: true), _stopping.Token).ConfigureAwait(false);
            if (_stopping.IsCancellationRequested)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.TlsConnectionEstablished(id, client, Settings.Name, stream.SslProtocol.ToString(), principal.ToString());
            }

            Serve(new KafkaConnection(id, socket, Settings, _maxFrameBytes, _budget, _trimmer, _dispatcher!, _stopping.Token, _logger, _metrics, stream, principal, _sasl));
        }
        catch (TlsHandshakeException e)
        {
            _logger.TlsHandshakeFailed(id, client, Settings.Name, e.Message);
            socket.Dispose();
        }
#pragma warning disable CA1031 // One client's handshake must never take the listener or the process down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.TlsHandshakeFailed(id, client, Settings.Name, e.Message);
            socket.Dispose();
        }
        finally
        {
            _handshakes.TryRemove(id, out _);
        }
    }

    private async Task RunConnectionAsync(KafkaConnection connection, Task started)
    {
        await started.ConfigureAwait(false);
        await connection.RunAsync().ConfigureAwait(false);
        _connections.TryRemove(connection.Id, out _);
    }

    /// <summary>
    /// Stops accepting, asks every connection to finish the request it is handling and close, and waits
    /// up to <paramref name="timeout"/> for them; connections still open then are closed abruptly.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await _idleLoop.ConfigureAwait(false);
        await Task.WhenAll(_handshakes.Values).ConfigureAwait(false);

        var running = _connections.Values.ToArray();
        foreach (var (connection, _) in running)
        {
            connection.RequestStop();
        }

        var all = Task.WhenAll(running.Select(c => c.Run));
        await all.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!all.IsCompleted)
        {
            foreach (var (connection, _) in running)
            {
                connection.Abort();
            }

            await all.ConfigureAwait(false);
        }

        Dispose();
    }

    /// <summary>Releases the listening socket. Call <see cref="StopAsync"/> first to close connections gracefully.</summary>
    public void Dispose()
    {
        _listener.Dispose();
        _stopping.Dispose();
    }
}
