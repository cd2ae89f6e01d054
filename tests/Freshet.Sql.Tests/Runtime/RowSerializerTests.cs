using System.Buffers;
using System.Runtime.Serialization;
using CsCheck;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>Rows of random schemas and values read back equal to what was written.</summary>
public sealed class RowSerializerTests
{
    [Fact]
    public void Serialize_RandomSchemaAndValues_RoundTrips()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var types = Enumerable.Range(0, random.Next(0, 12)).Select(_ => RandomSqlValues.Type(random)).ToArray();
            var serializer = RowSerializers.For(types);
            for (var i = 0; i < 5; i++)
            {
                var row = new Row(types.Select(t => RandomSqlValues.Value(random, t)).ToArray());
                var bytes = serializer.SerializeToArray(row);
                var back = serializer.Deserialize(bytes);
                Assert.True(row.Equals(back), $"seed {seed}: {row} read back as {back}");
                Assert.Equal(row.StableHashCode(), back.StableHashCode());
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Serialize_SmallValues_AreCompact()
    {
        var serializer = RowSerializers.For([SqlType.Int, SqlType.BigInt, SqlType.String, SqlType.Boolean]);
        Assert.Equal(1 + 1 + 1 + 1 + 3 + 1, serializer.SerializeToArray(new Row(1, 2L, "abc", true)).Length);
        Assert.Single(serializer.SerializeToArray(new Row(null, null, null, null)));
    }

    [Fact]
    public void Deserialize_TruncatedOrTrailingBytes_Throws()
    {
        var serializer = RowSerializers.For([SqlType.String, SqlType.BigInt]);
        var bytes = serializer.SerializeToArray(new Row("hello", 123_456_789L));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SerializationException>(() => serializer.Deserialize(bytes.AsSpan(0, length)));
        }

        Assert.Throws<SerializationException>(() => serializer.Deserialize([.. bytes, 0]));
    }

    [Fact]
    public void Serialize_WrongArity_Throws()
    {
        var serializer = RowSerializers.For([SqlType.Int]);
        Assert.Throws<ArgumentException>(() => serializer.Serialize(new Row(1, 2), new ArrayBufferWriter<byte>()));
    }
}
