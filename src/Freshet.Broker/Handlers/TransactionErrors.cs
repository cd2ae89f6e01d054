using Freshet.Broker.Logging;
using Freshet.Log;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Handlers;

/// <summary>
/// The Kafka error code of a failed transaction coordinator call, for the request version that asked:
/// versions older than PRODUCER_FENCED (90) get INVALID_PRODUCER_EPOCH (47) for a fenced producer, as
/// Kafka answers them. A request refused because its producer is fenced is logged.
/// </summary>
internal static class TransactionErrors
{
    /// <summary>The error code of <paramref name="failure"/> (accepted by <see cref="ErrorMapping.IsPartitionFailure"/>) for <paramref name="context"/>'s version.</summary>
    /// <param name="logger">Receives <see cref="BrokerLog.FencedProducerRefused"/> when the producer is fenced.</param>
    public static short ToErrorCode(Exception failure, RequestContext context, short firstVersionWithProducerFenced, ILogger logger)
    {
        var code = ErrorMapping.ToErrorCode(failure);
        LogIfFenced(code, failure, context, logger);
        return code == (short)LogErrorCode.ProducerFenced && context.ApiVersion < firstVersionWithProducerFenced ? KafkaErrorCode.InvalidProducerEpoch : code;
    }

    /// <summary>Logs a request refused with error <paramref name="code"/> when that code says its producer is fenced (an older epoch).</summary>
    public static void LogIfFenced(short code, Exception failure, RequestContext context, ILogger logger)
    {
        if (code is (short)LogErrorCode.ProducerFenced or KafkaErrorCode.InvalidProducerEpoch)
        {
            logger.FencedProducerRefused(context.Header.ApiKey, context.ConnectionId, context.ClientHost, failure.Message);
        }
    }
}
