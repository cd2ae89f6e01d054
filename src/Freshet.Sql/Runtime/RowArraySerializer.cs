using System.Buffers;
using System.Runtime.Serialization;
using Freshet.Sql.Typing;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Arrays of rows of one schema, for keyed state that holds several rows under one entry (an OVER aggregation's rows
/// of one timestamp). Layout: the count as a varint, then each row as <see cref="RowSerializers"/> writes it (NULL
/// bitmap, then the non-null fields). The schema is not written. Stateless; thread-safe.
/// </summary>
internal sealed class RowArraySerializer : ISerializer<Row[]>
{
    private readonly SqlValueCodec[] _codecs;

    /// <summary>The serializer of arrays of rows whose fields have <paramref name="types"/>.</summary>
    public RowArraySerializer(IReadOnlyList<SqlType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _codecs = types.Select(SqlValueCodec.For).ToArray();
    }

    /// <inheritdoc/>
    public void Serialize(Row[] value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        var writer = new SqlBinaryWriter(output);
        writer.WriteVarULong((ulong)value.Length);
        foreach (var row in value)
        {
            if (row.Arity != _codecs.Length)
            {
                throw new ArgumentException($"The serializer is for rows of {_codecs.Length} fields, but a row has {row.Arity}", nameof(value));
            }

            SqlValueCodec.WriteValues(writer, row.Values, _codecs);
        }
    }

    /// <inheritdoc/>
    public Row[] Deserialize(ReadOnlySpan<byte> input)
    {
        var reader = new SqlBinaryReader(input);
        var rows = new Row[reader.Count()];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new Row(_codecs.Length == 0 ? [] : SqlValueCodec.ReadValues(ref reader, _codecs.Length, _codecs));
        }

        return reader.AtEnd ? rows : throw new SerializationException("Cannot deserialize rows: bytes are left after the last row.");
    }
}
