using Freshet.Log.Producers;
using Freshet.Log.Segments;
using Freshet.Log.Topics;
using Freshet.Log.Transactions;

namespace Freshet.Log.Partitions;

public sealed partial class Partition
{
    /// <summary>What opening the partition cut from the end of its last segment; null when nothing was.</summary>
    internal SegmentTruncation? RecoveryTruncation { get; private init; }

    /// <summary>The recovery report's line for <paramref name="truncation"/> of partition <paramref name="name"/>.</summary>
    internal static string DescribeTruncation(string name, SegmentTruncation truncation) =>
        $"{name}: truncated {truncation.FilePath} at byte {truncation.Position}, dropping {truncation.DroppedBytes} bytes: {truncation.Reason}.";

    /// <summary>
    /// Opens (or creates) the partition in <paramref name="directory"/>: finishes or discards
    /// interrupted compaction swaps, opens sealed segments, recovers the last segment (truncating
    /// at the first invalid batch), and restores idempotent-producer state.
    /// </summary>
    /// <param name="report">Receives one line per problem found and repaired.</param>
    internal static Partition Open(string topic, int id, string directory, TopicConfig config, TimeProvider clock, long fileDeleteDelayMs, ICollection<string> report)
    {
        System.IO.Directory.CreateDirectory(directory);
        CleanUpInterruptedWork(directory, report);

        var baseOffsets = System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFiles.LogExtension)
            .Select(path => SegmentFiles.TryParseBaseOffset(path, out var b) && Path.GetFileName(path).Length == 20 + SegmentFiles.LogExtension.Length ? b : -1)
            .Where(b => b >= 0)
            .Order()
            .ToArray();

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var segments = new List<LogSegment>(Math.Max(1, baseOffsets.Length));
        SegmentTruncation? truncation = null;
        try
        {
            for (var i = 0; i < baseOffsets.Length; i++)
            {
                if (i < baseOffsets.Length - 1)
                {
                    var segment = LogSegment.OpenSealed(directory, baseOffsets[i], config.IndexIntervalBytes, now, baseOffsets[i + 1], out var rebuilt);
                    if (rebuilt)
                    {
                        report.Add($"{topic}-{id}: rebuilt the indexes of {segment.LogPath}.");
                    }

                    if (segment.OpenProblem is not null)
                    {
                        report.Add($"{topic}-{id}: sealed segment {segment.LogPath} is corrupt: {segment.OpenProblem}. Reads reaching it fail; nothing was dropped.");
                    }

                    segments.Add(segment);
                }
                else
                {
                    var segment = LogSegment.OpenAndRecover(directory, baseOffsets[i], config.IndexIntervalBytes, now, out truncation);
                    if (truncation is not null)
                    {
                        report.Add(DescribeTruncation($"{topic}-{id}", truncation));
                    }

                    segments.Add(segment);
                }
            }

            if (segments.Count == 0)
            {
                segments.Add(LogSegment.Create(directory, 0, config.IndexIntervalBytes, now));
            }
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
            }

            throw;
        }

        var array = segments.ToArray();
        var name = $"{topic}-{id}";
        var logStartOffset = ReadLogStartOffsetFile(directory, report, name);
        if (logStartOffset > array[^1].NextOffset)
        {
            // Records were deleted up to an offset the recovered log no longer reaches (its unflushed tail was
            // lost): nothing below that offset may be served again, so the log starts over there, as Kafka's does.
            report.Add($"{name}: the log start {logStartOffset} is past the recovered log end {array[^1].NextOffset}; the log restarts empty at {logStartOffset}.");
            foreach (var segment in array)
            {
                segment.RenameFiles(SegmentFiles.DeletedSuffix);
                segment.Dispose();
            }

            CleanUpInterruptedWork(directory, report);
            array = [LogSegment.Create(directory, logStartOffset, config.IndexIntervalBytes, now)];
        }

        var aborts = AbortedTransactionIndex.ReadFile(directory, out var indexUsable);
        var replayedAborts = new List<AbortedTransaction>();
        var producers = ProducerStateTable.Load(directory, array, report, name, replayWholeLog: !indexUsable, replayedAborts);
        AbortedTransactionIndex index;
        try
        {
            index = AbortedTransactionIndex.Open(directory, aborts, indexUsable, replayedAborts, array[^1].NextOffset, report, name);
        }
        catch
        {
            foreach (var segment in array)
            {
                segment.Dispose();
            }

            throw;
        }

        return new Partition(topic, id, directory, config, clock, fileDeleteDelayMs, array, producers, index, logStartOffset) { RecoveryTruncation = truncation };
    }

    private static void CleanUpInterruptedWork(string directory, ICollection<string> report)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(SegmentFiles.DeletedSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFiles.CleanedSuffix, StringComparison.Ordinal)
                || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }

        // A ".swap" file is a finished compacted replacement whose swap was interrupted: complete it.
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFiles.SwapSuffix))
        {
            var target = path[..^SegmentFiles.SwapSuffix.Length];
            if (target.EndsWith(SegmentFiles.LogExtension, StringComparison.Ordinal))
            {
                // Index files beside it describe the log being replaced; positions in them would point
                // into the wrong batches of the new file. Deleting them makes the open rebuild them.
                var stem = target[..^SegmentFiles.LogExtension.Length];
                File.Delete(stem + SegmentFiles.IndexExtension);
                File.Delete(stem + SegmentFiles.TimeIndexExtension);
            }

            File.Move(path, target, overwrite: true);
            report.Add($"completed an interrupted compaction swap of {target}.");
        }
    }

    /// <summary>
    /// Deletes whole old segments by time (<c>RetentionMs</c>) and size (<c>RetentionBytes</c>) and
    /// advances <see cref="LogStartOffset"/>. A non-empty active segment that has expired is rolled
    /// first, so it can go too. Runs beside appends and reads without blocking them for long.
    /// </summary>
    /// <returns>The number of segments deleted.</returns>
    public int ApplyRetention()
    {
        var config = Config;
        if ((config.CleanupPolicy & CleanupPolicy.Delete) == 0 || (config.RetentionMs < 0 && config.RetentionBytes < 0))
        {
            return 0;
        }

        lock (_maintenanceLock)
        {
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var segments = Segments;
            var deletable = CountDeletable(segments, config, now);
            if (deletable == segments.Length)
            {
                // Everything expired, the active segment included: roll so it can be deleted too.
                Roll();
                segments = Segments;
                deletable = CountDeletable(segments, config, now);
            }

            deletable = Math.Min(deletable, segments.Length - 1);
            if (deletable <= 0)
            {
                return 0;
            }

            RemoveOldestSegments(deletable);
            return deletable;
        }
    }

    private static int CountDeletable(LogSegment[] segments, TopicConfig config, long now)
    {
        long totalBytes = 0;
        foreach (var segment in segments)
        {
            totalBytes += segment.Size;
        }

        var count = 0;
        foreach (var segment in segments)
        {
            // Only the active segment stops the count when empty; a sealed segment can be empty after
            // compaction (the first one is kept so LogStartOffset does not move) and ages like any other.
            if (segment.IsEmpty && ReferenceEquals(segment, segments[^1]))
            {
                break;
            }

            var newest = segment.MaxTimestamp >= 0 ? segment.MaxTimestamp : segment.CreatedAtMs;
            var expiredByTime = config.RetentionMs >= 0 && now - newest > config.RetentionMs;
            var overSize = config.RetentionBytes >= 0 && totalBytes - segment.Size >= config.RetentionBytes;
            if (!expiredByTime && !overSize)
            {
                break;
            }

            totalBytes -= segment.Size;
            count++;
        }

        return count;
    }

    private void RemoveOldestSegments(int count)
    {
        LogSegment[] removed;
        lock (_appendLock)
        {
            var segments = _segments;
            removed = segments[..count];
            Volatile.Write(ref _segments, segments[count..]);
        }

        foreach (var segment in removed)
        {
            RetireSegment(segment);
        }
    }

    /// <summary>
    /// Replaces a run of sealed segments with compacted replacements covering the same offsets.
    /// Called by the compactor; the replacements' files are already in place under their final names.
    /// </summary>
    internal void ReplaceSegments(LogSegment[] oldSegments, LogSegment[] replacements)
    {
        lock (_appendLock)
        {
            var segments = _segments.ToList();
            var start = segments.IndexOf(oldSegments[0]);
            if (start < 0)
            {
                throw new InvalidOperationException("The segments to replace are no longer part of the partition.");
            }

            segments.RemoveRange(start, oldSegments.Length);
            segments.InsertRange(start, replacements);
            Volatile.Write(ref _segments, segments.ToArray());
        }
    }

    /// <summary>Closes a segment that is no longer part of the partition once in-flight reads have had time to finish.</summary>
    internal void RetireSegment(LogSegment segment, bool renameFiles = true)
    {
        if (renameFiles)
        {
            segment.RenameFiles(SegmentFiles.DeletedSuffix);
        }

        var paths = new[] { segment.LogPath, segment.IndexPath, segment.TimeIndexPath };
        _ = Task.Delay(TimeSpan.FromMilliseconds(_fileDeleteDelayMs)).ContinueWith(
            _ =>
            {
                segment.Dispose();
                if (renameFiles)
                {
                    foreach (var path in paths)
                    {
                        try
                        {
                            File.Delete(path + SegmentFiles.DeletedSuffix);
                        }
                        catch (IOException)
                        {
                            // Deleted on the next open instead.
                        }
                    }
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    /// <summary>Flushes, writes indexes and the producer-state snapshot, and closes every file.</summary>
    public void Dispose()
    {
        lock (_maintenanceLock)
        {
            lock (_appendLock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                try
                {
                    _producers.WriteSnapshot(_logEndOffset);
                }
                finally
                {
                    foreach (var segment in _segments)
                    {
                        segment.Close();
                    }

                    _abortedTransactions.Dispose();
                }
            }
        }
    }
}
