using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>
/// A Kafka-aware TCP proxy on 127.0.0.1 in front of one broker, that can simulate a network partition between its
/// clients and the broker. Anything that bootstraps through it — our group member, Confluent.Kafka producers, consumers
/// and admin clients, in this process or in a child process given <see cref="BootstrapServers"/> — keeps talking
/// through it: it rewrites every address the broker hands out (the broker list of Metadata answers, the coordinator of
/// FindCoordinator answers, for groups and transactional ids alike) to its own. It forwards frame by frame and decodes
/// only those two answers, with Freshet's codec.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Cut"/> blackholes every connection, open or opened later, in both directions: nothing passes, nothing
/// is closed, and no error is seen — requests just go unanswered, as behind a dead link. What the two sides send
/// meanwhile waits, as it would in the network's buffers and TCP's retransmissions, and arrives when
/// <see cref="Heal"/> opens the link again: a request a client gave up on reaches the broker late (a zombie's
/// produce or commit, say, which the broker must then refuse), and a connection a side closed during the cut is
/// closed on the other side only then.
/// </para>
/// <para>
/// Single broker only: every broker of a Metadata answer is rewritten to this one proxy, which forwards to the one
/// broker port it was given. Thread-safety: <see cref="Cut"/>, <see cref="Heal"/> and the properties from any thread.
/// </para>
/// </remarks>
public sealed class PartitionableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _brokerPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Lock _linkLock = new();
    private readonly ConcurrentDictionary<ApiKeys, int> _forwarded = new();
    private readonly Task _accepting;

    /// <summary>Completed while the link is up; a pending source while it is cut (Heal completes it).</summary>
    private TaskCompletionSource _link = Healed();

    public PartitionableProxy(int brokerPort)
    {
        _brokerPort = brokerPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>Whether the link is cut now.</summary>
    public bool IsCut
    {
        get
        {
            lock (_linkLock)
            {
                return !_link.Task.IsCompleted;
            }
        }
    }

    /// <summary>How many requests of <paramref name="api"/> the proxy has passed on to the broker (to check which clients went through it).</summary>
    public int RequestsForwarded(ApiKeys api) => _forwarded.GetValueOrDefault(api);

    /// <summary>From now on nothing passes, in either direction, on any connection (what is sent waits for <see cref="Heal"/>).</summary>
    public void Cut()
    {
        lock (_linkLock)
        {
            if (_link.Task.IsCompleted)
            {
                _link = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The link works again: what waited is delivered, and every connection forwards as before.</summary>
    public void Heal()
    {
        lock (_linkLock)
        {
            _link.TrySetResult();
        }
    }

    private static TaskCompletionSource Healed()
    {
        var healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        healed.SetResult();
        return healed;
    }

    /// <summary>Returns once the link is up (at once unless it is cut).</summary>
    private Task LinkUpAsync()
    {
        Task link;
        lock (_linkLock)
        {
            link = _link.Task;
        }

        return link.IsCompleted ? Task.CompletedTask : link.WaitAsync(_stopping.Token);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                client.NoDelay = true;
                Track(client);
                _ = ServeAsync(client);
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Connects to the broker (locally, so even during a cut) and forwards both ways until either side closes; then
    /// closes both, so neither is left talking to a connection whose other half is gone.
    /// </summary>
    private async Task ServeAsync(TcpClient client)
    {
        var broker = new TcpClient { NoDelay = true };
        Track(broker);
        try
        {
            await broker.ConnectAsync(IPAddress.Loopback, _brokerPort, _stopping.Token);
            var rewritten = new ConcurrentDictionary<int, (ApiKeys Api, short Version)>();
            await Task.WhenAny(
                PumpAsync(client.GetStream(), broker.GetStream(), rewritten, toBroker: true),
                PumpAsync(broker.GetStream(), client.GetStream(), rewritten, toBroker: false));
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The broker is gone or the proxy stops.
        }
        finally
        {
            client.Dispose();
            broker.Dispose();
        }
    }

    private void Track(TcpClient socket)
    {
        lock (_sockets)
        {
            _sockets.Add(socket);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, ConcurrentDictionary<int, (ApiKeys Api, short Version)> rewritten, bool toBroker)
    {
        var size = new byte[4];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(size, _stopping.Token);
                var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
                await from.ReadExactlyAsync(payload, _stopping.Token);
                await LinkUpAsync();
                if (toBroker)
                {
                    var reader = new KafkaReader(payload);
                    var header = RequestHeader.Read(ref reader);
                    _forwarded.AddOrUpdate(header.ApiKey, 1, static (_, count) => count + 1);
                    if (header.ApiKey is ApiKeys.FindCoordinator or ApiKeys.Metadata)
                    {
                        rewritten[header.CorrelationId] = (header.ApiKey, header.ApiVersion);
                    }
                }
                else if (rewritten.TryRemove(BinaryPrimitives.ReadInt32BigEndian(payload), out var request))
                {
                    await to.WriteAsync(request.Api == ApiKeys.Metadata ? RewriteMetadata(payload, request.Version) : RewriteFindCoordinator(payload, request.Version), _stopping.Token);
                    continue;
                }

                await to.WriteAsync(size, _stopping.Token);
                await to.WriteAsync(payload, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
            // One side went away (its close reaches the other side only once the link is up, as in a real cut), or
            // the proxy stops.
            try
            {
                await LinkUpAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private byte[] RewriteFindCoordinator(byte[] payload, short version)
    {
        var reader = new KafkaReader(payload);
        var header = ResponseHeader.Read(ref reader, FlexibleVersions.ResponseHeaderVersion(ApiKeys.FindCoordinator, version));
        var response = FindCoordinatorResponse.Read(ref reader, version);
        if (response.ErrorCode == 0)
        {
            response.Host = "127.0.0.1";
            response.Port = Port;
        }

        return Frame(header.CorrelationId, version, response);
    }

    private byte[] RewriteMetadata(byte[] payload, short version)
    {
        var reader = new KafkaReader(payload);
        var header = ResponseHeader.Read(ref reader, FlexibleVersions.ResponseHeaderVersion(ApiKeys.Metadata, version));
        var response = MetadataResponse.Read(ref reader, version);
        foreach (var broker in response.Brokers)
        {
            broker.Host = "127.0.0.1";
            broker.Port = Port;
        }

        return Frame(header.CorrelationId, version, response);
    }

    private static byte[] Frame<T>(int correlationId, short version, T response)
        where T : IKafkaMessage<T>
    {
        using var output = new PooledBufferWriter();
        KafkaFrame.WriteResponse(output, correlationId, version, response);
        return output.WrittenSpan.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting;
        _stopping.Dispose();
    }
}
