using Freshet.Log;

namespace Freshet.Broker.Handlers;

/// <summary>
/// The Kafka error code of a failed transaction coordinator call, for the request version that asked:
/// versions older than PRODUCER_FENCED (90) get INVALID_PRODUCER_EPOCH (47) for a fenced producer, as
/// Kafka answers them.
/// </summary>
internal static class TransactionErrors
{
    /// <summary>The error code of <paramref name="failure"/> (accepted by <see cref="ErrorMapping.IsPartitionFailure"/>) at <paramref name="version"/>.</summary>
    public static short ToErrorCode(Exception failure, short version, short firstVersionWithProducerFenced)
    {
        var code = ErrorMapping.ToErrorCode(failure);
        return code == (short)LogErrorCode.ProducerFenced && version < firstVersionWithProducerFenced ? KafkaErrorCode.InvalidProducerEpoch : code;
    }
}
