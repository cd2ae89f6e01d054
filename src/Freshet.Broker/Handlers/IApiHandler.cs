using Freshet.Kafka.Protocol;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Serves one Kafka API. A request is handled in two steps so the connection, not the handler,
/// owns the output buffer: <see cref="HandleAsync"/> decodes the body and computes the response
/// (possibly waiting, as Fetch does), then the connection calls <see cref="WriteResponse"/> when it is
/// its turn to write. Implementations derive from <see cref="ApiHandler{TRequest, TResponse}"/>.
/// Thread-safety: one instance serves every connection concurrently; per-request state lives in the
/// <see cref="RequestContext"/>.
/// </summary>
internal interface IApiHandler
{
    /// <summary>The API this handler serves.</summary>
    ApiKeys ApiKey { get; }

    /// <summary>
    /// Decodes <paramref name="body"/> at the context's API version and handles it. Returns the response
    /// message, or null when the protocol sends none (Produce with acks 0).
    /// </summary>
    /// <param name="body">The request body after the header. Valid until the returned task completes.</param>
    /// <exception cref="KafkaProtocolException">The body is malformed: the connection is closed.</exception>
    ValueTask<object?> HandleAsync(RequestContext context, ReadOnlyMemory<byte> body);

    /// <summary>Writes the response frame (size, header, body) that <see cref="HandleAsync"/> returned.</summary>
    void WriteResponse(RequestContext context, object response, PooledBufferWriter output);
}
