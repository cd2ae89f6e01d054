using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Base of every handler: decodes the request as <typeparamref name="TRequest"/>, calls
/// <see cref="HandleAsync(RequestContext, TRequest)"/>, and writes the <typeparamref name="TResponse"/>
/// at the request's version with the response header that version calls for. Adding an API is one
/// class deriving from this and one <see cref="ApiDispatcher.Register"/> line.
/// </summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
internal abstract class ApiHandler<TRequest, TResponse> : IApiHandler
    where TRequest : IKafkaMessage<TRequest>
    where TResponse : class, IKafkaMessage<TResponse>
{
    /// <inheritdoc/>
    public ApiKeys ApiKey => TRequest.ApiKey;

    /// <inheritdoc/>
    public ValueTask<object?> HandleAsync(RequestContext context, ReadOnlyMemory<byte> body)
    {
        var reader = new KafkaReader(body);
        var request = TRequest.Read(ref reader, context.ApiVersion);
        var pending = HandleAsync(context, request);
        return pending.IsCompletedSuccessfully ? new(pending.Result) : AwaitAsync(pending);
    }

    /// <inheritdoc/>
    public void WriteResponse(RequestContext context, object response, PooledBufferWriter output) =>
        KafkaFrame.WriteResponse(output, context.CorrelationId, context.ApiVersion, (TResponse)response);

    /// <summary>Handles a decoded request; returns the response, or null when none is sent.</summary>
    protected abstract ValueTask<TResponse?> HandleAsync(RequestContext context, TRequest request);

    private static async ValueTask<object?> AwaitAsync(ValueTask<TResponse?> pending) => await pending.ConfigureAwait(false);
}
