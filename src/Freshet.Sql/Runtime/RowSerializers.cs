using System.Buffers;
using System.Runtime.Serialization;
using Freshet.Sql.Typing;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Binary serializers of <see cref="Row"/> for a fixed schema, for keyed state, snapshots and exchanges between
/// tasks. Layout of a row of n fields: ceil(n/8) bytes of NULL bitmap (bit i%8 of byte i/8 set when field i is
/// NULL), then each non-null field in order: BOOLEAN and TINYINT one byte; SMALLINT, INT, BIGINT, DATE (day number),
/// TIME, TIMESTAMP and TIMESTAMP_LTZ (ticks of 100 ns; LTZ in UTC), intervals (ticks or months) as zig-zag varints;
/// FLOAT and DOUBLE little-endian IEEE 754; DECIMAL its four 32-bit parts as varints; strings UTF-8 and BYTES raw,
/// each after a varint length; ARRAY a varint count then its elements as a row; MAP a varint count, the keys, then
/// the values as a row; ROW as a row. The schema is not written: reader and writer must agree on it.
/// Serializers are stateless and thread-safe.
/// </summary>
internal static class RowSerializers
{
    /// <summary>The serializer of rows whose fields have <paramref name="types"/>.</summary>
    public static ISerializer<Row> For(IReadOnlyList<SqlType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var codecs = new SqlValueCodec[types.Count];
        for (var i = 0; i < codecs.Length; i++)
        {
            codecs[i] = SqlValueCodec.For(types[i]);
        }

        return new RowSerializer(codecs);
    }

    private sealed class RowSerializer(SqlValueCodec[] codecs) : ISerializer<Row>
    {
        public void Serialize(Row value, IBufferWriter<byte> output)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Arity != codecs.Length)
            {
                throw new ArgumentException($"The serializer is for rows of {codecs.Length} fields, but the row has {value.Arity}", nameof(value));
            }

            SqlValueCodec.WriteValues(new SqlBinaryWriter(output), value.Values, codecs);
        }

        public Row Deserialize(ReadOnlySpan<byte> input)
        {
            var reader = new SqlBinaryReader(input);
            var values = codecs.Length == 0 ? [] : SqlValueCodec.ReadValues(ref reader, codecs.Length, codecs);
            return reader.AtEnd ? new Row(values) : throw new SerializationException("Cannot deserialize a row: bytes are left after the last field.");
        }
    }
}
