using System.Buffers.Binary;
using Freshet.Log.Segments;
using Freshet.Log.Topics;

namespace Freshet.Log.Partitions;

public sealed partial class Partition
{
    /// <summary>
    /// Name of the file holding the <see cref="LogStartOffset"/> set by <see cref="DeleteRecordsBefore"/> (the
    /// role of Kafka's <c>log-start-offset-checkpoint</c>): 8 bytes, the offset big-endian, written durably
    /// (temporary file, fsync, rename). A value at or below the oldest segment's base offset is stale and
    /// ignored; the file is only needed while the log start lies inside the oldest segment.
    /// </summary>
    internal const string LogStartOffsetFileName = "log-start-offset";

    /// <summary>
    /// Deletes every record below <paramref name="offset"/> (Kafka's DeleteRecords): <see cref="LogStartOffset"/>
    /// moves up to it durably before this returns, reads below it fail with
    /// <see cref="LogErrorCode.OffsetOutOfRange"/> from then on, and whole segments below it are removed. The
    /// records of the batch holding the new log start that precede it stay on disk until that segment goes,
    /// and a fetch may return them, as Kafka's does; clients skip them.
    /// </summary>
    /// <param name="offset">The new log start, at most <see cref="HighWatermark"/>; -1 means the high watermark.</param>
    /// <returns>The log start afterwards (Kafka's low watermark); unchanged when <paramref name="offset"/> is at or below it.</returns>
    /// <exception cref="LogException"><see cref="LogErrorCode.OffsetOutOfRange"/> when the offset is negative (other
    /// than -1) or above the high watermark; <see cref="LogErrorCode.PolicyViolation"/> when the topic's cleanup
    /// policy does not include delete (a compacted topic keeps its records until compaction removes them).</exception>
    public long DeleteRecordsBefore(long offset)
    {
        if ((Config.CleanupPolicy & CleanupPolicy.Delete) == 0)
        {
            throw new LogException(LogErrorCode.PolicyViolation, $"Records of {Topic}-{Id} cannot be deleted: its cleanup.policy is compact only.");
        }

        lock (_maintenanceLock)
        {
            int removable;
            lock (_appendLock)
            {
                var highWatermark = HighWatermark;
                var target = offset == -1 ? highWatermark : offset;
                if (target < 0 || target > highWatermark)
                {
                    throw new LogException(LogErrorCode.OffsetOutOfRange, $"Cannot delete the records of {Topic}-{Id} before offset {offset}: it must be -1 or between 0 and the high watermark {highWatermark}.");
                }

                if (target <= LogStartOffset)
                {
                    return LogStartOffset;
                }

                // Durable first, then visible: after a crash the log start is never below what a caller was told.
                Span<byte> bytes = stackalloc byte[sizeof(long)];
                BinaryPrimitives.WriteInt64BigEndian(bytes, target);
                SegmentFiles.WriteAllBytesDurably(Path.Combine(Directory, LogStartOffsetFileName), bytes);
                Volatile.Write(ref _logStartOffset, target);

                // Whole segments below the new start; the active segment stays even when empty.
                var segments = _segments;
                removable = 0;
                while (removable < segments.Length - 1 && segments[removable].NextOffset <= target)
                {
                    removable++;
                }
            }

            if (removable > 0)
            {
                RemoveOldestSegments(removable);
            }

            return LogStartOffset;
        }
    }

    /// <summary>
    /// The log start recorded by <see cref="DeleteRecordsBefore"/> in <paramref name="directory"/>, or -1 when there
    /// is none. A damaged file is reported and ignored: the log then starts at its oldest segment, which keeps
    /// records rather than losing any.
    /// </summary>
    private static long ReadLogStartOffsetFile(string directory, ICollection<string> report, string name)
    {
        var path = Path.Combine(directory, LogStartOffsetFileName);
        if (!File.Exists(path))
        {
            return -1;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != sizeof(long) || BinaryPrimitives.ReadInt64BigEndian(bytes) < 0)
        {
            report.Add($"{name}: ignored {path}: it does not hold one offset ({bytes.Length} bytes); the log starts at its oldest segment.");
            return -1;
        }

        return BinaryPrimitives.ReadInt64BigEndian(bytes);
    }
}
