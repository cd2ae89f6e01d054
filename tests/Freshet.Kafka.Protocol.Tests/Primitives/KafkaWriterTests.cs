using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Primitives;

public class KafkaWriterTests
{
    private static byte[] Write(Action<KafkaWriter> write)
    {
        using var buffer = new PooledBufferWriter(1);
        var writer = new KafkaWriter(buffer);
        write(writer);
        Assert.Equal(buffer.WrittenCount, writer.BytesWritten);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void WriteUnsignedVarint_KnownValues_MatchProtobufEncoding()
    {
        Assert.Equal([0x00], Write(w => w.WriteUnsignedVarint(0)));
        Assert.Equal([0xAC, 0x02], Write(w => w.WriteUnsignedVarint(300)));
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], Write(w => w.WriteUnsignedVarint(uint.MaxValue)));
        Assert.Equal([0x01], Write(w => w.WriteVarint(-1)));
        Assert.Equal([0x02], Write(w => w.WriteVarlong(1)));
    }

    [Fact]
    public void Varints_AnyValue_RoundTrip() =>
        Gen.Select(Gen.UInt, Gen.Int, Gen.Long).Sample((u, i, l) =>
        {
            var bytes = Write(w =>
            {
                w.WriteUnsignedVarint(u);
                w.WriteVarint(i);
                w.WriteVarlong(l);
            });
            var reader = new KafkaReader(bytes);
            Assert.Equal(u, reader.ReadUnsignedVarint("u"));
            Assert.Equal(i, reader.ReadVarint("i"));
            Assert.Equal(l, reader.ReadVarlong("l"));
            Assert.True(reader.IsAtEnd);
        });

    [Fact]
    public void FixedWidth_AnyValue_RoundTrip() =>
        Gen.Select(Gen.Select(Gen.SByte, Gen.Short, Gen.UShort, Gen.Int), Gen.Select(Gen.UInt, Gen.Long, Gen.Double, Gen.Guid), Gen.Bool).Sample((a, b, flag) =>
        {
            var (i8, i16, u16, i32) = a;
            var (u32, i64, f64, uuid) = b;
            var bytes = Write(w =>
            {
                w.WriteInt8(i8);
                w.WriteInt16(i16);
                w.WriteUInt16(u16);
                w.WriteInt32(i32);
                w.WriteUInt32(u32);
                w.WriteInt64(i64);
                w.WriteFloat64(f64);
                w.WriteUuid(uuid);
                w.WriteBool(flag);
            });
            Assert.Equal(1 + 2 + 2 + 4 + 4 + 8 + 8 + 16 + 1, bytes.Length);
            var r = new KafkaReader(bytes);
            Assert.Equal(i8, r.ReadInt8("f"));
            Assert.Equal(i16, r.ReadInt16("f"));
            Assert.Equal(u16, r.ReadUInt16("f"));
            Assert.Equal(i32, r.ReadInt32("f"));
            Assert.Equal(u32, r.ReadUInt32("f"));
            Assert.Equal(i64, r.ReadInt64("f"));
            Assert.Equal(BitConverter.DoubleToInt64Bits(f64), BitConverter.DoubleToInt64Bits(r.ReadFloat64("f")));
            Assert.Equal(uuid, r.ReadUuid("f"));
            Assert.Equal(flag, r.ReadBool("f"));
        });

    [Fact]
    public void WriteUuid_Guid_WritesJavaBigEndianOrder() =>
        Assert.Equal(
            [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF],
            Write(w => w.WriteUuid(Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"))));

    [Fact]
    public void StringsAndBytes_AnyValueBothEncodings_RoundTrip() =>
        Gen.Select(Support.Gens.NullableString, Support.Gens.NullableBytes, Gen.Bool).Sample((s, b, compact) =>
        {
            var bytes = Write(w =>
            {
                w.WriteNullableString(s, compact, "s");
                w.WriteNullableBytes(b, compact);
                w.WriteRecords(b is null ? (ReadOnlyMemory<byte>?)null : b, compact);
            });
            var r = new KafkaReader(bytes);
            Assert.Equal(s, r.ReadNullableString(compact, "s"));
            Assert.Equal(b, r.ReadNullableBytes(compact, "b"));
            var records = r.ReadRecords(compact, "r");
            Assert.Equal(b is null, records is null);
            Assert.Equal(b ?? [], records?.ToArray() ?? []);
            Assert.True(r.IsAtEnd);
        });

    [Fact]
    public void WriteNullLengths_ClassicAndCompact_UseMinusOneAndZero()
    {
        Assert.Equal([0xFF, 0xFF], Write(w => w.WriteNullableString(null, false, "f")));
        Assert.Equal([0x00], Write(w => w.WriteNullableString(null, true, "f")));
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF], Write(w => w.WriteNullableBytes(null, false)));
        Assert.Equal([0x00], Write(w => w.WriteRecords(null, true)));
        Assert.Equal([0x00, 0x00, 0x00, 0x00], Write(w => w.WriteInt32Array([], false, "f")));
        Assert.Equal([0x01], Write(w => w.WriteStringArray([], true, "f")));
    }

    [Fact]
    public void WriteString_NullWhereNotNullable_ThrowsNamingField()
    {
        var error = Assert.Throws<KafkaProtocolException>(() => Write(w => w.WriteString(null, true, "Name")));
        Assert.Equal("Name", error.Field);
    }

    [Fact]
    public void WriteString_LongerThanInt16_Throws() =>
        Assert.Throws<KafkaProtocolException>(() => Write(w => w.WriteString(new string('x', 40000), false, "Name")));

    [Fact]
    public void WriteTaggedFields_KnownValues_EncodeTagSizeAndPayload()
    {
        var bytes = Write(w =>
        {
            w.WriteTaggedFieldCount(3);
            w.WriteTaggedInt64(1, 5);
            w.WriteTaggedBool(3, true);
            w.WriteTaggedNullableString(4, "ab", "s");
        });
        Assert.Equal([0x03, 0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 5, 0x03, 0x01, 0x01, 0x04, 0x03, 0x03, (byte)'a', (byte)'b'], bytes);
    }

    [Fact]
    public void PooledBufferWriter_GrowsPastInitialCapacity_KeepsBytes() =>
        Gen.Byte.Array[0, 5000].Array[1, 5].Sample(chunks =>
        {
            using var buffer = new PooledBufferWriter(1);
            var writer = new KafkaWriter(buffer);
            foreach (var chunk in chunks)
            {
                writer.WriteRaw(chunk);
            }

            Assert.Equal(chunks.SelectMany(c => c).ToArray(), buffer.WrittenSpan.ToArray());
        }, iter: 100);
}
