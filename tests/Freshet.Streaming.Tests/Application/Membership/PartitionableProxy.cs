using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a broker that can simulate a network partition: <see cref="Cut"/> makes it
/// swallow every byte in both directions while keeping the connections open (requests time out, as behind a dead
/// link), <see cref="Heal"/> forwards again for new connections. It rewrites FindCoordinator answers to name
/// itself, so a client that bootstraps through it also reaches the coordinator through it.
/// </summary>
public sealed class PartitionableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _brokerPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public PartitionableProxy(int brokerPort)
    {
        _brokerPort = brokerPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>From now on nothing passes, in either direction, on any connection.</summary>
    public void Cut() => _cut = true;

    /// <summary>Connections opened from now on work again (those opened during the cut stay dead).</summary>
    public void Heal() => _cut = false;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                Track(client);
                if (_cut)
                {
                    // Held open and never served: the client's connection attempt hangs at ApiVersions.
                    continue;
                }

                var broker = new TcpClient { NoDelay = true };
                Track(broker);
                await broker.ConnectAsync(IPAddress.Loopback, _brokerPort, _stopping.Token);
                var findCoordinatorRequests = new ConcurrentDictionary<int, short>();
                _ = PumpAsync(client.GetStream(), broker.GetStream(), findCoordinatorRequests, toBroker: true);
                _ = PumpAsync(broker.GetStream(), client.GetStream(), findCoordinatorRequests, toBroker: false);
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private void Track(TcpClient socket)
    {
        lock (_sockets)
        {
            _sockets.Add(socket);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, ConcurrentDictionary<int, short> findCoordinatorRequests, bool toBroker)
    {
        var size = new byte[4];
        try
        {
            while (true)
            {
                await from.ReadExactlyAsync(size, _stopping.Token);
                var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
                await from.ReadExactlyAsync(payload, _stopping.Token);
                if (_cut)
                {
                    continue;
                }

                if (toBroker)
                {
                    var reader = new KafkaReader(payload);
                    var header = RequestHeader.Read(ref reader);
                    if (header.ApiKey == ApiKeys.FindCoordinator)
                    {
                        findCoordinatorRequests[header.CorrelationId] = header.ApiVersion;
                    }
                }
                else if (findCoordinatorRequests.TryRemove(BinaryPrimitives.ReadInt32BigEndian(payload), out var version))
                {
                    await to.WriteAsync(RewriteFindCoordinator(payload, version), _stopping.Token);
                    continue;
                }

                await to.WriteAsync(size, _stopping.Token);
                await to.WriteAsync(payload, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
            // One side went away, or the proxy stops.
        }
    }

    private byte[] RewriteFindCoordinator(byte[] payload, short version)
    {
        var reader = new KafkaReader(payload);
        var header = ResponseHeader.Read(ref reader, FlexibleVersions.ResponseHeaderVersion(ApiKeys.FindCoordinator, version));
        var response = FindCoordinatorResponse.Read(ref reader, version);
        response.Host = "127.0.0.1";
        response.Port = Port;
        using var output = new PooledBufferWriter();
        KafkaFrame.WriteResponse(output, header.CorrelationId, version, response);
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
