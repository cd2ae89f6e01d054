using Microsoft.Extensions.Logging;

namespace Freshet.Log.Logging;

/// <summary>
/// The log store's events (DESIGN.md decision 13; listed in docs/operations.md), with stable ids in 3000-3099. Generated
/// by the logging source generator: a disabled level costs one check and no formatting. Logged when the store opens
/// (what recovery found and repaired) and when background maintenance fails, never per append or read.
/// </summary>
internal static partial class LogStoreLog
{
    /// <summary>Category of every event of the log store.</summary>
    public const string Category = "Freshet.Log";

    [LoggerMessage(EventId = 3000, EventName = "LogStoreOpened", Level = LogLevel.Information,
        Message = "Opened the log in '{Directory}': {TopicCount} topics, {PartitionCount} partitions; recovery repaired {RepairCount} problems.")]
    public static partial void LogStoreOpened(this ILogger logger, string directory, int topicCount, int partitionCount, int repairCount);

    /// <summary>One line of <see cref="LogStore.RecoveryReport"/> other than a truncation (which has <see cref="SegmentTruncated"/>).</summary>
    [LoggerMessage(EventId = 3001, EventName = "RecoveryRepaired", Level = LogLevel.Warning,
        Message = "Log recovery in '{Directory}': {Repair}")]
    public static partial void RecoveryRepaired(this ILogger logger, string directory, string repair);

    [LoggerMessage(EventId = 3002, EventName = "SegmentTruncated", Level = LogLevel.Warning,
        Message = "Log recovery truncated partition {Partition}: segment '{Segment}' cut at byte {Position}, {DroppedBytes} bytes dropped: {Reason}.")]
    public static partial void SegmentTruncated(this ILogger logger, string partition, string segment, long position, long droppedBytes, string reason);

    [LoggerMessage(EventId = 3010, EventName = "TransactionTimeoutCheckFailed", Level = LogLevel.Error,
        Message = "The check for timed-out transactions failed; the next maintenance run retries.")]
    public static partial void TransactionTimeoutCheckFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3011, EventName = "CompactionFailed", Level = LogLevel.Error,
        Message = "Compaction of partition {Partition} failed; the next maintenance run retries.")]
    public static partial void CompactionFailed(this ILogger logger, Exception exception, string partition);

    [LoggerMessage(EventId = 3012, EventName = "MaintenanceFailed", Level = LogLevel.Error,
        Message = "Background log maintenance failed; the next run retries.")]
    public static partial void MaintenanceFailed(this ILogger logger, Exception exception);
}
