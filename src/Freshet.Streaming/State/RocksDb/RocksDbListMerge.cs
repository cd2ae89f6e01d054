using System.Buffers.Binary;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// The RocksDB merge operator of list state (Flink's RocksDB backend appends to lists the same way): a list entry is
/// <c>int32 count</c> followed by the framed elements (see <see cref="RocksDbListState{TKey, T}"/>), and a merge
/// operand is a list entry of the appended elements, so merging is concatenation — the counts add up and the framed
/// elements follow one another in write order. An append is then one <c>Merge</c> write, O(appended), instead of a
/// read and rewrite of the whole list; RocksDB combines the operands when the entry is read, scanned or compacted, and
/// every reader (gets, iterators, checkpoint scans) sees the concatenated entry, in the same bytes a rewrite would have
/// produced.
/// <para>
/// Thread-safety: RocksDB calls the functions on any thread (the task's reads, background compactions); they are
/// stateless and never throw, because an exception cannot cross back into native code: malformed input (not produced
/// by this backend) reports a failed merge, which RocksDB surfaces as a corruption error to the reader.
/// </para>
/// </summary>
internal static class RocksDbListMerge
{
    private const int CountBytes = 4;

    /// <summary>The operator, set on every column family of a <see cref="RocksDbStateStore"/>; only list state writes merge operands.</summary>
    public static MergeOperator Operator { get; } = MergeOperators.Create("freshet-list-append", PartialMerge, FullMerge);

    private static byte[] PartialMerge(ReadOnlySpan<byte> key, MergeOperators.OperandsEnumerator operands, out bool success) =>
        Merge(hasExisting: false, [], operands, out success);

    private static byte[] FullMerge(ReadOnlySpan<byte> key, bool hasExistingValue, ReadOnlySpan<byte> existingValue, MergeOperators.OperandsEnumerator operands, out bool success) =>
        Merge(hasExistingValue, existingValue, operands, out success);

    private static byte[] Merge(bool hasExisting, ReadOnlySpan<byte> existing, MergeOperators.OperandsEnumerator operands, out bool success)
    {
        try
        {
            long count = 0;
            long length = CountBytes;
            var valid = !hasExisting || Measure(existing, ref count, ref length);
            for (var i = 0; valid && i < operands.Count; i++)
            {
                valid = Measure(operands.Get(i), ref count, ref length);
            }

            if (!valid || count > int.MaxValue || length > Array.MaxLength)
            {
                success = false;
                return [];
            }

            var merged = new byte[length];
            BinaryPrimitives.WriteInt32BigEndian(merged, (int)count);
            var at = CountBytes;
            if (hasExisting)
            {
                at += Append(existing, merged.AsSpan(at));
            }

            for (var i = 0; i < operands.Count; i++)
            {
                at += Append(operands.Get(i), merged.AsSpan(at));
            }

            success = true;
            return merged;
        }
#pragma warning disable CA1031 // Nothing may be thrown back into RocksDB's native frames: a failed merge is reported instead.
        catch (Exception)
#pragma warning restore CA1031
        {
            success = false;
            return [];
        }
    }

    /// <summary>Adds the element count and framed bytes of one list entry; false when it is too short to be one.</summary>
    private static bool Measure(ReadOnlySpan<byte> entry, ref long count, ref long length)
    {
        if (entry.Length < CountBytes)
        {
            return false;
        }

        count += BinaryPrimitives.ReadInt32BigEndian(entry);
        length += entry.Length - CountBytes;
        return true;
    }

    /// <summary>Copies the framed elements of one list entry to <paramref name="destination"/>, returning their length.</summary>
    private static int Append(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        entry[CountBytes..].CopyTo(destination);
        return entry.Length - CountBytes;
    }
}
