using CsCheck;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

/// <summary>CsCheck generators for records: null, empty, random and compressible keys and values; headers with null values; wide timestamps.</summary>
internal static class RecordGens
{
    public static readonly Gen<byte[]?> Bytes = Gen.Frequency(
        (1, Gen.Const((byte[]?)null)),
        (1, Gen.Const((byte[]?)Array.Empty<byte>())),
        (4, Gen.Byte.Array[1, 48].Select(a => (byte[]?)a)),
        (1, Gen.Byte[0, 3].Array[100, 1500].Select(a => (byte[]?)a)));

    // Valid UTF-16 only (no lone surrogates), so keys survive the UTF-8 round trip exactly.
    public static readonly Gen<string> HeaderKey = Gen.OneOf(
            Gen.OneOf('a', 'b', 'z', '0', '-', '_', 'é', 'ß', '日', '本').Array[0, 12].Select(c => new string(c)),
            Gen.OneOf("", "trace-id", "🙂", "ключ"));

    public static readonly Gen<RecordHeader> Header = Gen.Select(HeaderKey, Bytes, (k, v) => new RecordHeader(k, v));

    // Mostly realistic epoch milliseconds (deltas of either sign); sometimes anything, to exercise wrapping deltas.
    public static readonly Gen<long> Timestamp = Gen.Frequency(
        (8, Gen.Long[1_600_000_000_000, 1_600_000_100_000]),
        (1, Gen.Long[-1, 1]),
        (1, Gen.Long));

    public static readonly Gen<LogRecord> Record = Gen.Select(
        Timestamp,
        Bytes,
        Bytes,
        Header.Array[0, 4],
        (t, k, v, h) => new LogRecord(t, k, v, h));

    public static readonly Gen<LogRecord[]> Records = Record.Array[1, 30];

    public static readonly Gen<CompressionType> Codec = Gen.OneOf(
        CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd);

    public static readonly CompressionType[] AllCodecs = Enum.GetValues<CompressionType>();
}
