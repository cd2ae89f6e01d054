using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>
/// A tiny TCP server on 127.0.0.1 that reads Kafka request frames and answers each with whatever its handler
/// returns (a whole response frame, or null for no answer): a broker that behaves exactly as a test needs, such as
/// one that advertises too few API versions.
/// </summary>
public sealed class FakeKafkaServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RequestHeader, byte[]?> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<RequestHeader> _requests = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;

    public FakeKafkaServer(Func<RequestHeader, byte[]?> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BootstrapServers => $"127.0.0.1:{Port}";

    /// <summary>The headers of every request received, in order.</summary>
    public IReadOnlyList<RequestHeader> Requests => _requests.ToArray();

    /// <summary>A whole response frame for <paramref name="header"/>'s request.</summary>
    public static byte[] Response<T>(RequestHeader header, T body, short? version = null)
        where T : IKafkaMessage<T>
    {
        using var output = new PooledBufferWriter();
        KafkaFrame.WriteResponse(output, header.CorrelationId, version ?? header.ApiVersion, body);
        return output.WrittenSpan.ToArray();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                _ = ServeAsync(client);
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var size = new byte[4];
            while (true)
            {
                await stream.ReadExactlyAsync(size, _stopping.Token);
                var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
                await stream.ReadExactlyAsync(payload, _stopping.Token);
                var header = ReadHeader(payload);
                _requests.Enqueue(header);
                if (_handler(header) is { } response)
                {
                    await stream.WriteAsync(response, _stopping.Token);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
            // The client went away, or the server stops.
        }
    }

    private static RequestHeader ReadHeader(byte[] payload)
    {
        var reader = new KafkaReader(payload);
        return RequestHeader.Read(ref reader);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        await _accepting;
        _stopping.Dispose();
    }
}
