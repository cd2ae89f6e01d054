using System.Buffers.Binary;
using System.Net.Sockets;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;

namespace Freshet.Broker.Tests.Support;

/// <summary>
/// A bare TCP connection that speaks the Kafka framing with Freshet's codec: for requests a real client
/// would never send (bad frames, pipelining on purpose, exact API versions).
/// </summary>
public sealed class RawKafkaClient : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _nextCorrelationId = 1;

    private RawKafkaClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _stream.ReadTimeout = 10_000;
    }

    public static Task<RawKafkaClient> ConnectAsync(KafkaBroker broker) => ConnectAsync(broker.Port);

    /// <summary>Connects to a broker on 127.0.0.1 at <paramref name="port"/> (one in another process, say).</summary>
    public static async Task<RawKafkaClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        return new RawKafkaClient(client);
    }

    /// <summary>Encodes a request frame (size, header, body) without sending it.</summary>
    public byte[] Encode<T>(T body, short version, int? correlationId = null)
        where T : IKafkaMessage<T>
    {
        using var output = new PooledBufferWriter();
        var header = new RequestHeader { ApiKey = T.ApiKey, ApiVersion = version, CorrelationId = correlationId ?? _nextCorrelationId++, ClientId = "raw-test" };
        KafkaFrame.WriteRequest(output, header, body);
        return output.WrittenSpan.ToArray();
    }

    public Task SendAsync<T>(T body, short version, int? correlationId = null)
        where T : IKafkaMessage<T> => SendRawAsync(Encode(body, version, correlationId));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a request and reads its response.</summary>
    public async Task<TResponse> RoundTripAsync<TRequest, TResponse>(TRequest request, short version)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        var correlationId = _nextCorrelationId;
        await SendAsync(request, version);
        var (actual, response) = await ReceiveAsync<TResponse>(version);
        Assert.Equal(correlationId, actual);
        return response;
    }

    /// <summary>Reads one response frame and decodes it at <paramref name="version"/>; returns its correlation id too.</summary>
    public async Task<(int CorrelationId, T Response)> ReceiveAsync<T>(short version, short? headerVersion = null)
        where T : IKafkaMessage<T>
    {
        var payload = await ReceiveFrameAsync() ?? throw new IOException("The broker closed the connection.");
        return Decode<T>(payload, version, headerVersion ?? FlexibleVersions.ResponseHeaderVersion(T.ApiKey, version));
    }

    private static (int, T) Decode<T>(byte[] payload, short version, short headerVersion)
        where T : IKafkaMessage<T>
    {
        var reader = new KafkaReader(payload);
        var header = ResponseHeader.Read(ref reader, headerVersion);
        var body = T.Read(ref reader, version);
        return (header.CorrelationId, body);
    }

    /// <summary>Reads one frame's payload, or null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReceiveFrameAsync()
    {
        var size = new byte[4];
        if (!await ReadExactlyOrEndAsync(size))
        {
            return null;
        }

        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        return await ReadExactlyOrEndAsync(payload) ? payload : null;
    }

    /// <summary>Whether the broker closes the connection within <paramref name="timeout"/> (any bytes it sends first are skipped).</summary>
    public async Task<bool> IsClosedByBrokerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
