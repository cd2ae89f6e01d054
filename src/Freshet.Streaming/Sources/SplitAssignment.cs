using System.Buffers;
using System.Text;
using Freshet.Log.Partitions;

namespace Freshet.Streaming.Sources;

/// <summary>
/// Decides which source subtask reads which split, with no coordinator: every reader lists the splits itself (files,
/// partitions, shards) and keeps those assigned to its own <see cref="SourceReaderContext.SubtaskIndex"/>. Each
/// assignment is a pure function of the split and the parallelism — the same in every process, every run and on every
/// machine — so all readers agree, a split that appears later lands on exactly one reader, and after a restore at
/// another parallelism each reader can pick its splits' positions out of the old subtasks' positions.
/// Stateless; thread-safe.
/// </summary>
public static class SplitAssignment
{
    /// <summary>Longest split id hashed without a heap buffer, in UTF-8 bytes.</summary>
    private const int StackBytes = 512;

    /// <summary>
    /// The subtask that reads the split named <paramref name="splitId"/>: Kafka's murmur2 of the id's UTF-8 bytes
    /// (the default partitioner's hash, fixed seed), modulo <paramref name="parallelism"/>. Never
    /// <see cref="string.GetHashCode()"/>, which differs from process to process. Use it for splits that have names
    /// and no natural order (files, object keys); the ids must be stable across restarts (a relative path, not a
    /// temporary handle).
    /// </summary>
    /// <returns>A subtask index, <c>0 ≤ result &lt; parallelism</c>.</returns>
    public static int SubtaskOf(string splitId, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(splitId);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var length = Encoding.UTF8.GetByteCount(splitId);
        byte[]? rented = null;
        Span<byte> bytes = length <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(splitId, bytes);
            return KafkaPartitioner.PartitionOf(bytes[..written], parallelism);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The subtask that reads split number <paramref name="splitIndex"/> of a numbered set (partitions 0…n−1):
    /// <c>splitIndex % parallelism</c>, round robin, as the built-in log topic, Kafka and text file sources assign
    /// partitions and files. Balanced when the set is known up front; for a set that grows by name, prefer
    /// <see cref="SubtaskOf(string, int)"/>.
    /// </summary>
    /// <returns>A subtask index, <c>0 ≤ result &lt; parallelism</c>.</returns>
    public static int SubtaskOf(int splitIndex, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(splitIndex);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        return splitIndex % parallelism;
    }
}
