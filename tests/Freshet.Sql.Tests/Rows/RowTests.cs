using System.Buffers;
using System.Runtime.Serialization;
using CsCheck;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql.Tests.Rows;

public sealed class RowTests
{
    private static readonly Gen<object?> Scalar = Gen.OneOf<object?>(
        Gen.Const(0).Select(_ => (object?)null),
        Gen.Bool.Select(v => (object?)v),
        Gen.SByte.Select(v => (object?)v),
        Gen.Short.Select(v => (object?)v),
        Gen.Int.Select(v => (object?)v),
        Gen.Long.Select(v => (object?)v),
        Gen.Float.Select(v => (object?)v),
        Gen.Double.Select(v => (object?)v),
        Gen.Decimal.Select(v => (object?)v),
        Gen.String.Select(v => (object?)v),
        Gen.Byte.Array.Select(v => (object?)v),
        Gen.Int[0, DateOnly.MaxValue.DayNumber].Select(v => (object?)DateOnly.FromDayNumber(v)),
        Gen.Long[0, TimeOnly.MaxValue.Ticks].Select(v => (object?)new TimeOnly(v)),
        Gen.Long[0, DateTime.MaxValue.Ticks].Select(v => (object?)new DateTime(v)),
        Gen.Long[0, DateTime.MaxValue.Ticks].Select(v => (object?)new DateTimeOffset(v, TimeSpan.Zero)),
        Gen.Long.Select(v => (object?)new TimeSpan(v)));

    private static readonly Gen<object?> Value = Gen.OneOf(
        Scalar,
        Scalar.Array[0, 4].Select(v => (object?)v),
        Scalar.Array[0, 4].Select(v => (object?)new Row(v)),
        Gen.Int.Select(Gen.String).Array[0, 3].Select(entries =>
        {
            var map = new Dictionary<object, object?>();
            foreach (var (key, value) in entries)
            {
                map[key] = value;
            }

            return (object?)map;
        }));

    private static readonly Gen<Row> Rows = Value.Array[0, 8].Select(v => new Row(v));

    [Fact]
    public void DefaultSerializer_RandomRows_RoundTripToEqualRowsWithEqualHashes()
    {
        var serializer = Serializers.Default<Row>();
        Assert.Same(Row.DefaultSerializer, serializer);
        Rows.Sample(row =>
        {
            var copy = serializer.Deserialize(serializer.SerializeToArray(row));
            Assert.Equal(row, copy);
            Assert.Equal(row.StableHashCode(), copy.StableHashCode());
            Assert.Equal(row.ToString(), copy.ToString());
        }, iter: 5_000);
    }

    [Fact]
    public void Deserialize_CorruptedBytes_ThrowsOnlySerializationException()
    {
        var serializer = Row.DefaultSerializer;
        Rows.Select(Gen.Int, Gen.Byte).Sample((row, position, value) =>
        {
            var bytes = serializer.SerializeToArray(row);
            if (bytes.Length == 0)
            {
                return;
            }

            bytes[(int)((uint)position % bytes.Length)] = value;
            try
            {
                _ = serializer.Deserialize(bytes.AsSpan(0, bytes.Length - ((uint)position % 2 == 0 ? 0 : 1)));
            }
            catch (SerializationException)
            {
            }
        }, iter: 10_000);
    }

    [Fact]
    public void Deserialize_HugeLengthPrefix_ThrowsWithoutAllocating()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 });
        Assert.Throws<SerializationException>(() => Row.DefaultSerializer.Deserialize(writer.WrittenSpan));
    }

    [Fact]
    public void Equals_ByValue_ArraysBytesAndNestedRowsByContent()
    {
        var a = new Row(1, "x", new byte[] { 1, 2 }, new object?[] { 1L, null }, new Row(true));
        var b = new Row(1, "x", new byte[] { 1, 2 }, new object?[] { 1L, null }, new Row(true));
        Assert.Equal(a, b);
        Assert.Equal(a.StableHashCode(), b.StableHashCode());
        Assert.NotEqual(a, new Row(1L, "x", new byte[] { 1, 2 }, new object?[] { 1L, null }, new Row(true)));
        Assert.Equal("1, x, x'0102', [1, null], (true)", a.ToString());
    }

    [Fact]
    public void StableHashCode_KnownRow_IsTheSameInEveryProcess()
    {
        // A fixed value: the hash decides key groups, so it must never change between runs or releases.
        Assert.Equal(new Row(42L, "auction", null).StableHashCode(), new Row(42L, "auction", null).StableHashCode());
        Assert.Equal(957825558, new Row(42L, "auction", null).StableHashCode());
    }
}
