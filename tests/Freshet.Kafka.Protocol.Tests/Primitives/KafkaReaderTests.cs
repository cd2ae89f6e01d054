using System.Runtime.InteropServices;
using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Primitives;

public class KafkaReaderTests
{
    private static T Read<T>(byte[] bytes, ReadFunc<T> read)
    {
        var reader = new KafkaReader(bytes);
        var value = read(ref reader);
        Assert.True(reader.IsAtEnd);
        return value;
    }

    private delegate T ReadFunc<T>(ref KafkaReader reader);

    private static KafkaProtocolException Fails<T>(byte[] bytes, ReadFunc<T> read) =>
        Assert.Throws<KafkaProtocolException>(() =>
        {
            var reader = new KafkaReader(bytes);
            _ = read(ref reader);
        });

    [Fact]
    public void ReadIntegers_BigEndianBytes_DecodeAsKafkaDefines()
    {
        Assert.Equal(-2, Read([0xFE], (ref KafkaReader r) => r.ReadInt8("f")));
        Assert.Equal(0x0102, Read([0x01, 0x02], (ref KafkaReader r) => r.ReadInt16("f")));
        Assert.Equal(0xFFFE, Read([0xFF, 0xFE], (ref KafkaReader r) => r.ReadUInt16("f")));
        Assert.Equal(0x01020304, Read([0x01, 0x02, 0x03, 0x04], (ref KafkaReader r) => r.ReadInt32("f")));
        Assert.Equal(0xFFFFFFFEu, Read([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadUInt32("f")));
        Assert.Equal(0x0102030405060708L, Read([1, 2, 3, 4, 5, 6, 7, 8], (ref KafkaReader r) => r.ReadInt64("f")));
        Assert.Equal(1.5, Read([0x3F, 0xF8, 0, 0, 0, 0, 0, 0], (ref KafkaReader r) => r.ReadFloat64("f")));
        Assert.True(Read([0x02], (ref KafkaReader r) => r.ReadBool("f")));
        Assert.False(Read([0x00], (ref KafkaReader r) => r.ReadBool("f")));
    }

    [Fact]
    public void ReadInt32_TooFewBytes_ThrowsNamingField()
    {
        var error = Fails([0x00, 0x01, 0x02], (ref KafkaReader r) => r.ReadInt32("TimeoutMs"));
        Assert.Equal("TimeoutMs", error.Field);
        Assert.Contains("TimeoutMs", error.Message);
    }

    [Fact]
    public void ReadUnsignedVarint_KnownEncodings_Decode()
    {
        Assert.Equal(0u, Read([0x00], (ref KafkaReader r) => r.ReadUnsignedVarint("f")));
        Assert.Equal(127u, Read([0x7F], (ref KafkaReader r) => r.ReadUnsignedVarint("f")));
        Assert.Equal(300u, Read([0xAC, 0x02], (ref KafkaReader r) => r.ReadUnsignedVarint("f")));
        Assert.Equal(uint.MaxValue, Read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], (ref KafkaReader r) => r.ReadUnsignedVarint("f")));
    }

    [Fact]
    public void ReadUnsignedVarint_SixBytesOrOverflow_Throws()
    {
        Fails([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], (ref KafkaReader r) => r.ReadUnsignedVarint("f"));
        Fails([0xFF, 0xFF, 0xFF, 0xFF, 0x10], (ref KafkaReader r) => r.ReadUnsignedVarint("f"));
        Fails([0x80, 0x80], (ref KafkaReader r) => r.ReadUnsignedVarint("f"));
    }

    [Fact]
    public void ReadVarlong_ElevenBytesOrOverflow_Throws()
    {
        Fails([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], (ref KafkaReader r) => r.ReadVarlong("f"));
        Fails([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], (ref KafkaReader r) => r.ReadVarlong("f"));
    }

    [Fact]
    public void ReadVarint_ZigZag_DecodesSignedValues()
    {
        Assert.Equal(0, Read([0x00], (ref KafkaReader r) => r.ReadVarint("f")));
        Assert.Equal(-1, Read([0x01], (ref KafkaReader r) => r.ReadVarint("f")));
        Assert.Equal(1, Read([0x02], (ref KafkaReader r) => r.ReadVarint("f")));
        Assert.Equal(-64, Read([0x7F], (ref KafkaReader r) => r.ReadVarint("f")));
        Assert.Equal(long.MinValue, Read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], (ref KafkaReader r) => r.ReadVarlong("f")));
    }

    [Fact]
    public void ReadUuid_BigEndianBytes_MatchJavaStringForm()
    {
        byte[] bytes = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF];
        Assert.Equal(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Read(bytes, (ref KafkaReader r) => r.ReadUuid("f")));
    }

    [Fact]
    public void ReadNullableString_ClassicAndCompactNull_ReturnNull()
    {
        Assert.Null(Read([0xFF, 0xFF], (ref KafkaReader r) => r.ReadNullableString(false, "f")));
        Assert.Null(Read([0x00], (ref KafkaReader r) => r.ReadNullableString(true, "f")));
        Assert.Equal("", Read([0x00, 0x00], (ref KafkaReader r) => r.ReadNullableString(false, "f")));
        Assert.Equal("", Read([0x01], (ref KafkaReader r) => r.ReadNullableString(true, "f")));
        Assert.Equal("ab", Read([0x00, 0x02, (byte)'a', (byte)'b'], (ref KafkaReader r) => r.ReadString(false, "f")));
        Assert.Equal("ab", Read([0x03, (byte)'a', (byte)'b'], (ref KafkaReader r) => r.ReadString(true, "f")));
    }

    [Fact]
    public void ReadString_NullWhereNotNullable_ThrowsNamingField()
    {
        var error = Fails([0xFF, 0xFF], (ref KafkaReader r) => r.ReadString(false, "Name"));
        Assert.Equal("Name", error.Field);
        Fails([0x00], (ref KafkaReader r) => r.ReadString(true, "Name"));
    }

    [Fact]
    public void ReadString_NegativeOrPastEndOrTooLong_Throws()
    {
        Fails([0xFF, 0xFE], (ref KafkaReader r) => r.ReadNullableString(false, "f"));
        Fails([0x00, 0x05, (byte)'a'], (ref KafkaReader r) => r.ReadNullableString(false, "f"));
        Fails([0x06, (byte)'a'], (ref KafkaReader r) => r.ReadNullableString(true, "f"));

        // 40000 + 1 as a varint: above Kafka's int16 string cap even though the bytes are there.
        var tooLong = new byte[3 + 40000];
        tooLong[0] = 0xC1;
        tooLong[1] = 0xB8;
        tooLong[2] = 0x02;
        Fails(tooLong, (ref KafkaReader r) => r.ReadNullableString(true, "f"));
    }

    [Fact]
    public void ReadBytes_HugeLengthWithFewBytes_ThrowsWithoutAllocating()
    {
        Fails([0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x02], (ref KafkaReader r) => r.ReadNullableBytes(false, "f"));
        Fails([0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x01], (ref KafkaReader r) => r.ReadNullableBytes(true, "f"));
        Fails([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadNullableBytes(false, "f"));
        Assert.Null(Read([0xFF, 0xFF, 0xFF, 0xFF], (ref KafkaReader r) => r.ReadNullableBytes(false, "f")));
    }

    [Fact]
    public void ReadArrayLength_CountBeyondRemainingBytes_Throws()
    {
        Fails([0x7F, 0xFF, 0xFF, 0xFF, 0x00], (ref KafkaReader r) => r.ReadArrayLength(false, "Topics"));
        Fails([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadArrayLength(false, "Topics"));
        Fails([0x00, 0x00, 0x00, 0x02, 0, 0, 0, 1], (ref KafkaReader r) => r.ReadInt32Array(false, "Replicas"));
        Assert.Equal(-1, Read([0xFF, 0xFF, 0xFF, 0xFF], (ref KafkaReader r) => r.ReadArrayLength(false, "f")));
        Assert.Equal(-1, Read([0x00], (ref KafkaReader r) => r.ReadArrayLength(true, "f")));
    }

    [Fact]
    public void ReadRecords_Present_ReturnsSliceOfInputWithoutCopy()
    {
        var input = new byte[] { 0x00, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC, 0x99 };
        var reader = new KafkaReader(input);
        var records = reader.ReadRecords(false, "Records");

        Assert.NotNull(records);
        Assert.True(MemoryMarshal.TryGetArray(records.Value, out var segment));
        Assert.Same(input, segment.Array);
        Assert.Equal(4, segment.Offset);
        Assert.Equal(3, segment.Count);
        Assert.Equal(1, reader.Remaining);
    }

    [Fact]
    public void ReadTaggedFields_UnknownTags_AreSkipped()
    {
        // Two tagged fields (tag 5 with 2 bytes, tag 200 with 1 byte), then an int16 after the section.
        byte[] bytes = [0x02, 0x05, 0x02, 0xAA, 0xBB, 0xC8, 0x01, 0x01, 0xCC, 0x00, 0x07];
        var reader = new KafkaReader(bytes);
        reader.SkipTaggedFields("f");
        Assert.Equal(7, reader.ReadInt16("after"));
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void ReadTaggedField_SizePastEnd_Throws()
    {
        Fails([0x01, 0x00, 0x05, 0xAA], (ref KafkaReader r) =>
        {
            r.SkipTaggedFields("f");
            return 0;
        });
        Fails([0x7F], (ref KafkaReader r) => r.ReadTaggedFieldCount("f"));
    }

    [Fact]
    public void ReadTaggedField_KnownTag_ReaderIsBoundedToItsBytes()
    {
        byte[] bytes = [0x01, 0x03, 0x02, 0x12, 0x34, 0x56];
        var reader = new KafkaReader(bytes);
        Assert.Equal(1, reader.ReadTaggedFieldCount("f"));
        var field = reader.ReadTaggedField(out uint tag, "f");
        Assert.Equal(3u, tag);
        Assert.Equal(0x1234, field.ReadInt16("inner"));
        Assert.True(field.IsAtEnd);
        Assert.Throws<KafkaProtocolException>(() =>
        {
            var again = new KafkaReader(bytes);
            _ = again.ReadTaggedFieldCount("f");
            var inner = again.ReadTaggedField(out _, "f");
            _ = inner.ReadInt32("inner");
        });
        Assert.Equal(0x56, reader.ReadInt8("after"));
    }

    [Fact]
    public void ReadAnyPrimitive_RandomBytes_ThrowsOnlyProtocolException() =>
        Gen.Byte.Array[0, 12].Sample(bytes =>
        {
            for (int kind = 0; kind < 10; kind++)
            {
                try
                {
                    var r = new KafkaReader(bytes);
                    _ = kind switch
                    {
                        0 => (object?)r.ReadNullableString(true, "f"),
                        1 => r.ReadNullableString(false, "f"),
                        2 => r.ReadNullableBytes(true, "f"),
                        3 => r.ReadNullableBytes(false, "f"),
                        4 => r.ReadRecords(true, "f"),
                        5 => r.ReadStringArray(true, "f"),
                        6 => r.ReadInt64Array(false, "f"),
                        7 => r.ReadVarlong("f"),
                        8 => r.ReadUnsignedVarint("f"),
                        _ => SkipTags(ref r),
                    };
                }
                catch (KafkaProtocolException)
                {
                }
            }
        }, iter: 5000);

    private static object SkipTags(ref KafkaReader reader)
    {
        reader.SkipTaggedFields("f");
        return 0;
    }
}
