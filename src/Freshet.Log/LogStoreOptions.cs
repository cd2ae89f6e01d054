using Freshet.Log.Topics;
using Microsoft.Extensions.Logging;

namespace Freshet.Log;

/// <summary>Settings of a <see cref="LogStore"/>. Immutable once the store is opened.</summary>
public sealed record LogStoreOptions
{
    /// <summary>The clock for append times, segment age, retention and flush intervals (inject one in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The configuration new topics start from when the caller gives none.</summary>
    public TopicConfig DefaultTopicConfig { get; init; } = TopicConfig.Default;

    /// <summary>Whether a background thread applies retention, compaction and interval flushes. Off: call <see cref="LogStore.RunMaintenance"/>.</summary>
    public bool BackgroundMaintenance { get; init; } = true;

    /// <summary>How often background maintenance checks retention and compaction (Kafka: <c>log.retention.check.interval.ms</c>).</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background flusher checks partitions with an interval flush policy.</summary>
    public TimeSpan FlushCheckInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long files of deleted segments stay open for readers still using them, in milliseconds (Kafka: <c>file.delete.delay.ms</c>).</summary>
    public long FileDeleteDelayMs { get; init; } = 10_000;

    /// <summary>
    /// Where the store logs what recovery repaired when it opened (truncated segments, rebuilt indexes) and failures of
    /// background maintenance (see docs/operations.md); null (default) logs nothing.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
