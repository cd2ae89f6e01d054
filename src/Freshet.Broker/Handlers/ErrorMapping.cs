using Freshet.Log;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Turns a failure of a log operation into the Kafka error code for one partition's answer. Only the
/// failures a log operation is documented to raise are mapped; anything else is a bug and propagates
/// (the connection is closed and the failure traced).
/// </summary>
internal static class ErrorMapping
{
    /// <summary>Whether <paramref name="exception"/> is a failure a log operation may raise for one partition.</summary>
    public static bool IsPartitionFailure(Exception exception) =>
        exception is LogException or ObjectDisposedException or IOException or UnauthorizedAccessException;

    /// <summary>The Kafka error code for a failure accepted by <see cref="IsPartitionFailure"/>.</summary>
    public static short ToErrorCode(Exception exception) => exception switch
    {
        LogException log => (short)log.ErrorCode,

        // The partition was closed under us: its topic was deleted.
        ObjectDisposedException => KafkaErrorCode.UnknownTopicOrPartition,
        IOException or UnauthorizedAccessException => KafkaErrorCode.KafkaStorageError,
        _ => KafkaErrorCode.UnknownServerError,
    };
}
