namespace Freshet.Kafka.Protocol.Framing;

/// <summary>
/// Writes whole frames (size prefix, header, body) into a <see cref="PooledBufferWriter"/>. The size
/// is patched in after the body is written, so nothing is encoded twice. Pure; thread-safe as long as
/// each call has its own output.
/// </summary>
public static class KafkaFrame
{
    /// <summary>Appends a request frame: size, header at the version its api key and version call for, body.</summary>
    /// <exception cref="ArgumentException">The header's api key is not the body's.</exception>
    public static void WriteRequest<T>(PooledBufferWriter output, RequestHeader header, T body)
        where T : IKafkaMessage<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(body);
        if (header.ApiKey != T.ApiKey)
        {
            throw new ArgumentException($"Header api key {header.ApiKey} does not match body {T.ApiKey}.", nameof(header));
        }

        int start = BeginFrame(output);
        var writer = new KafkaWriter(output);
        header.Write(writer, header.HeaderVersion);
        body.Write(writer, header.ApiVersion);
        EndFrame(output, start);
    }

    /// <summary>Appends a response frame: size, header at the version the request calls for, body at <paramref name="apiVersion"/>.</summary>
    public static void WriteResponse<T>(PooledBufferWriter output, int correlationId, short apiVersion, T body)
        where T : IKafkaMessage<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        int start = BeginFrame(output);
        var writer = new KafkaWriter(output);
        new ResponseHeader { CorrelationId = correlationId }.Write(writer, FlexibleVersions.ResponseHeaderVersion(T.ApiKey, apiVersion));
        body.Write(writer, apiVersion);
        EndFrame(output, start);
    }

    private static int BeginFrame(PooledBufferWriter output)
    {
        int start = output.WrittenCount;
        output.GetSpan(FrameDecoder.SizePrefixBytes);
        output.Advance(FrameDecoder.SizePrefixBytes);
        return start;
    }

    private static void EndFrame(PooledBufferWriter output, int start) =>
        output.PatchInt32BigEndian(start, output.WrittenCount - start - FrameDecoder.SizePrefixBytes);
}
