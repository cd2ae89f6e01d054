using System.Buffers.Binary;
using System.Security.Cryptography;
using Freshet.Log.Durability;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Log.CrashHost;

/// <summary>
/// The deterministic content the crash host appends, shared (as a linked source file) with the test
/// that verifies it. Batch number <c>counter</c> (0, 1, 2, ...) is a pure function of the counter:
/// its record count (mostly 1, sometimes up to 8), codec (mostly none, sometimes each of the four),
/// and for record <c>i</c> a 12-byte key (counter, i), a timestamp, a header on some records, and a
/// 10–4096-byte value derived from SHA-256. So after a crash the verifier can recompute every
/// acknowledged record byte for byte, and the host can resume from the counter in the last key.
/// Pure; thread-safe.
/// </summary>
internal static class CrashWorkload
{
    /// <summary>The topic the host appends to (partition 0).</summary>
    public const string Topic = "crash";

    /// <summary>Timestamp of batch 0; batch <c>n</c> record <c>i</c> has <c>BaseTimestampMs + 10 n + i</c>.</summary>
    public const long BaseTimestampMs = 1_700_000_000_000;

    /// <summary>Size of every key: int64 counter then int32 record index, big-endian.</summary>
    public const int KeyBytes = 12;

    /// <summary>
    /// Small segments so rolls (seal, index write, producer snapshot, new file) happen often and get
    /// killed too; every append fsynced; no retention, so offsets stay contiguous from 0.
    /// </summary>
    public static TopicConfig TopicConfig { get; } = new()
    {
        SegmentBytes = 64 * 1024,
        FlushPolicy = FlushPolicy.EveryAppend,
        RetentionMs = -1,
        RetentionBytes = -1,
        IndexIntervalBytes = 1024,
    };

    /// <summary>How many records batch <paramref name="counter"/> holds (1–8).</summary>
    public static int RecordCount(long counter)
    {
        var seed = Seed(counter);
        return seed[0] % 6 == 0 ? 2 + (seed[1] % 7) : 1;
    }

    /// <summary>The codec of batch <paramref name="counter"/>.</summary>
    public static CompressionType Compression(long counter)
    {
        var seed = Seed(counter);
        return seed[2] % 4 == 0 ? (CompressionType)(1 + (seed[3] % 4)) : CompressionType.None;
    }

    /// <summary>The records of batch <paramref name="counter"/>, offsets left at 0.</summary>
    public static LogRecord[] Records(long counter)
    {
        var records = new LogRecord[RecordCount(counter)];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = new LogRecord(Timestamp(counter, i), Key(counter, i), Value(counter, i), Headers(counter, i));
        }

        return records;
    }

    /// <summary>The batch the host appends for <paramref name="counter"/>.</summary>
    public static byte[] BuildBatch(long counter) => RecordBatchBuilder.Build(Records(counter), Compression(counter));

    public static long Timestamp(long counter, int index) => BaseTimestampMs + (counter * 10) + index;

    public static byte[] Key(long counter, int index)
    {
        var key = new byte[KeyBytes];
        BinaryPrimitives.WriteInt64BigEndian(key, counter);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(8), index);
        return key;
    }

    /// <summary>Reads (counter, index) back from a key written by <see cref="Key"/>.</summary>
    public static bool TryParseKey(byte[]? key, out long counter, out int index)
    {
        counter = -1;
        index = -1;
        if (key is null || key.Length != KeyBytes)
        {
            return false;
        }

        counter = BinaryPrimitives.ReadInt64BigEndian(key);
        index = BinaryPrimitives.ReadInt32BigEndian(key.AsSpan(8));
        return counter >= 0 && index >= 0;
    }

    /// <summary>10–4096 bytes: SHA-256 of (counter, index, block number) for each 32-byte block.</summary>
    public static byte[] Value(long counter, int index)
    {
        Span<byte> input = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(input, counter);
        BinaryPrimitives.WriteInt32BigEndian(input[8..], index);
        BinaryPrimitives.WriteInt32BigEndian(input[12..], -1);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var length = 10 + (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % 4087);

        var value = new byte[length];
        for (var block = 0; block * 32 < length; block++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input[12..], block);
            SHA256.HashData(input, hash);
            hash[..Math.Min(32, length - (block * 32))].CopyTo(value.AsSpan(block * 32));
        }

        return value;
    }

    /// <summary>Every third record carries one header naming its counter; the rest have none.</summary>
    public static IReadOnlyList<RecordHeader> Headers(long counter, int index) =>
        (counter + index) % 3 == 0 ? [new RecordHeader("counter", Key(counter, index))] : [];

    private static byte[] Seed(long counter)
    {
        Span<byte> input = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(input, counter);
        return SHA256.HashData(input);
    }
}
