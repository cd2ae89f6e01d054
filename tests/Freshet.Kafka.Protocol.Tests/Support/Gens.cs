using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>Generators for the primitive values messages carry.</summary>
internal static class Gens
{
    // Valid UTF-16 only (no lone surrogates), so strings survive the UTF-8 round trip exactly.
    public static readonly Gen<string> String = Gen.OneOf(
        Gen.OneOf('a', 'b', 'z', '0', '-', '_', '.', 'é', 'ß', '日').Array[0, 20].Select(c => new string(c)),
        Gen.OneOf("", "topic", "librdkafka", "🙂", "ключ"));

    public static readonly Gen<string?> NullableString = String.Null(0.2);

    public static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 40];

    public static readonly Gen<byte[]?> NullableBytes = Bytes.Null(0.2);

    /// <summary>Stand-in record batches: the codec does not look inside them.</summary>
    public static readonly Gen<ReadOnlyMemory<byte>?> Records = Gen.Frequency(
        (1, Gen.Const((ReadOnlyMemory<byte>?)null)),
        (1, Gen.Const((ReadOnlyMemory<byte>?)ReadOnlyMemory<byte>.Empty)),
        (4, Gen.Byte.Array[1, 300].Select(a => (ReadOnlyMemory<byte>?)a)));

    public static readonly Gen<int[]> Int32s = Gen.Int.Array[0, 6];

    public static readonly Gen<long[]> Int64s = Gen.Long.Array[0, 6];

    public static Gen<T[]> ArrayOf<T>(Gen<T> item) => item.Array[0, 4];

    /// <summary>The value when the field exists at <paramref name="version"/> (from <paramref name="since"/>), else its default.</summary>
    public static Gen<T> Since<T>(short version, short since, Gen<T> gen, T absent) =>
        version >= since ? gen : Gen.Const(absent);

    public static TheoryData<short> Versions(short min, short max)
    {
        var data = new TheoryData<short>();
        for (short v = min; v <= max; v++)
        {
            data.Add(v);
        }

        return data;
    }
}
