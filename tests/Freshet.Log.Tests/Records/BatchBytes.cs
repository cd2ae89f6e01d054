using System.Buffers.Binary;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

/// <summary>Small valid batches for tests, and edits that keep the CRC valid so later checks are reached.</summary>
internal static class BatchBytes
{
    public static byte[] Valid(CompressionType codec = CompressionType.None, int count = 3)
    {
        var builder = new RecordBatchBuilder { Compression = codec };
        for (var i = 0; i < count; i++)
        {
            builder.Add(1_700_000_000_000 + i, new byte[] { (byte)i }, new byte[] { 1, 2, 3, (byte)i }, [new RecordHeader("h", null)]);
        }

        return builder.Build();
    }

    /// <summary>Applies <paramref name="edit"/> to a copy and recomputes the CRC.</summary>
    public static byte[] EditWithCrc(byte[] batch, Action<byte[]> edit)
    {
        var copy = (byte[])batch.Clone();
        edit(copy);
        RecordBatchHeader.WriteCrc(copy);
        return copy;
    }

    /// <summary>Replaces the records section with <paramref name="records"/>, fixing BatchLength and CRC.</summary>
    public static byte[] WithRecordsSection(byte[] batch, ReadOnlySpan<byte> records)
    {
        var copy = new byte[RecordBatchHeader.Size + records.Length];
        batch.AsSpan(0, RecordBatchHeader.Size).CopyTo(copy);
        records.CopyTo(copy.AsSpan(RecordBatchHeader.Size));
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(8), copy.Length - RecordBatchHeader.LogOverhead);
        RecordBatchHeader.WriteCrc(copy);
        return copy;
    }
}
