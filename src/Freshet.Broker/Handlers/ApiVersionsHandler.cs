using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ApiVersions 0-3: lists the APIs and version ranges the broker serves (<see cref="ApiDispatcher.Advertised"/>).
/// A request at a version above 3 never reaches <see cref="HandleAsync(RequestContext, ApiVersionsRequest)"/>:
/// the connection answers it with <see cref="WriteUnsupportedVersion"/>, error 35 and the list in a v0
/// body, so the client can retry at a version both sides know (KIP-511). The response header is always v0.
/// </summary>
internal sealed class ApiVersionsHandler : ApiHandler<ApiVersionsRequest, ApiVersionsResponse>
{
    // Read at request time, not construction time, because handlers register after this one.
    private readonly ApiDispatcher _dispatcher;

    public ApiVersionsHandler(ApiDispatcher dispatcher) => _dispatcher = dispatcher;

    /// <summary>Writes the answer to an ApiVersions request at an unsupported version: error 35 and the supported list, v0.</summary>
    public static void WriteUnsupportedVersion(ApiDispatcher dispatcher, int correlationId, PooledBufferWriter output) =>
        KafkaFrame.WriteResponse(output, correlationId, 0, new ApiVersionsResponse
        {
            ErrorCode = KafkaErrorCode.UnsupportedVersion,
            ApiKeys = Keys(dispatcher),
        });

    /// <inheritdoc/>
    protected override ValueTask<ApiVersionsResponse?> HandleAsync(RequestContext context, ApiVersionsRequest request) =>
        new(new ApiVersionsResponse { ApiKeys = Keys(_dispatcher) });

    private static ApiVersionsResponseKey[] Keys(ApiDispatcher dispatcher)
    {
        var advertised = dispatcher.Advertised();
        var keys = new ApiVersionsResponseKey[advertised.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new ApiVersionsResponseKey { ApiKey = (short)advertised[i].ApiKey, MinVersion = advertised[i].MinVersion, MaxVersion = advertised[i].MaxVersion };
        }

        return keys;
    }
}
