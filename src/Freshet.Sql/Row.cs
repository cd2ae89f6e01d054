using System.Text;
using System.Text.Json.Serialization;
using Freshet.Streaming;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql;

/// <summary>
/// One row of a SQL table or query result: a fixed number of values, positionally matching the columns of its
/// schema. SQL streams carry rows as <c>Change&lt;Row&gt;</c> (<see cref="Freshet.Streaming.Tables.Change{T}"/>), so
/// the row kind lives beside the row, not in it.
/// <para>
/// Values use one .NET representation per SQL type, everywhere in Freshet's SQL runtime (expressions, state,
/// formats, <c>ToDataStream</c>): NULL is <c>null</c>; BOOLEAN <see cref="bool"/>; TINYINT <see cref="sbyte"/>;
/// SMALLINT <see cref="short"/>; INT <see cref="int"/>; BIGINT <see cref="long"/>; FLOAT <see cref="float"/>; DOUBLE
/// <see cref="double"/>; DECIMAL <see cref="decimal"/>; CHAR, VARCHAR and STRING <see cref="string"/>; BINARY,
/// VARBINARY and BYTES <c>byte[]</c>; DATE <see cref="DateOnly"/>; TIME <see cref="TimeOnly"/>; TIMESTAMP
/// <see cref="DateTime"/> (a wall-clock time; its <see cref="DateTime.Kind"/> is ignored, and event time is its
/// milliseconds since 1970-01-01 00:00 read as UTC); TIMESTAMP_LTZ <see cref="DateTimeOffset"/> (an instant);
/// INTERVAL DAY TO SECOND <see cref="TimeSpan"/>; INTERVAL YEAR TO MONTH <see cref="int"/> months; ARRAY
/// <c>object?[]</c> of element values; MAP <c>Dictionary&lt;object, object?&gt;</c>; ROW a nested <see cref="Row"/>.
/// </para>
/// <para>
/// Invariant: a row is never changed after it is made (operators share rows between outputs), so the array given
/// to the constructor must not be written afterwards. Equality and <see cref="StableHashCode"/> are by value
/// (byte arrays, arrays, maps and nested rows by content), so rows can be keys of keyed state and of joins; the hash
/// is the same in every process (DESIGN.md decision 11). Thread-safe to read.
/// </para>
/// </summary>
[JsonConverter(typeof(RowJsonConverter))]
public sealed class Row : IEquatable<Row>, IStableHashable, IHasDefaultSerializer<Row>
{
    private readonly object?[] _values;

    /// <summary>A row of <paramref name="values"/>, which the row takes over (see the invariant).</summary>
    public Row(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
    }

    /// <summary>The self-describing binary form used for rows in keyed state and snapshots when no schema-specific
    /// serializer is given (see <c>RowSerializer</c>).</summary>
    public static ISerializer<Row> DefaultSerializer => RowSerializer.Instance;

    /// <summary>The number of values.</summary>
    public int Arity => _values.Length;

    /// <summary>The value at <paramref name="index"/> (from 0).</summary>
    public object? this[int index] => _values[index];

    /// <summary>The values, in column order.</summary>
    public ReadOnlySpan<object?> Values => _values;

    /// <inheritdoc/>
    public bool Equals(Row? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._values.Length != _values.Length)
        {
            return false;
        }

        for (var i = 0; i < _values.Length; i++)
        {
            if (!ValueEquals(_values[i], other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Row row && Equals(row);

    /// <summary>The same as <see cref="StableHashCode"/>, so that equal rows hash equally in every dictionary.</summary>
    public override int GetHashCode() => StableHashCode();

    /// <inheritdoc/>
    public int StableHashCode()
    {
        var hash = 17;
        foreach (var value in _values)
        {
            hash = unchecked((hash * 31) + ValueHash(value));
        }

        return hash;
    }

    /// <summary>Flink's form: the values separated by commas, NULL as <c>null</c> (<c>1, foo, null</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        AppendValues(text, _values);
        return text.ToString();
    }

    /// <summary>Whether two SQL values are equal: by content for byte arrays, arrays, maps and rows; otherwise by
    /// <see cref="object.Equals(object, object)"/> (so an INT 1 and a BIGINT 1 differ: values of one column always
    /// share a type).</summary>
    internal static bool ValueEquals(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (byte[] x, byte[] y):
                return x.AsSpan().SequenceEqual(y);
            case (object?[] x, object?[] y):
                if (x.Length != y.Length)
                {
                    return false;
                }

                for (var i = 0; i < x.Length; i++)
                {
                    if (!ValueEquals(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (Dictionary<object, object?> x, Dictionary<object, object?> y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (var (key, value) in x)
                {
                    if (!y.TryGetValue(key, out var other) || !ValueEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return a.Equals(b);
        }
    }

    /// <summary>The stable hash of one SQL value (see the class remarks for the types).</summary>
    internal static int ValueHash(object? value) => value switch
    {
        null => 0,
        bool v => StableHash.Of(v),
        sbyte v => StableHash.Of(v),
        short v => StableHash.Of(v),
        int v => StableHash.Of(v),
        long v => StableHash.Of(v),
        float v => StableHash.Of(v),
        double v => StableHash.Of(v),
        decimal v => StableHash.Of(v),
        string v => StableHash.Of(v),
        byte[] v => StableHash.Of(v),
        DateOnly v => StableHash.Of(v),
        TimeOnly v => StableHash.Of(v),
        DateTime v => StableHash.Of(v.Ticks),
        DateTimeOffset v => StableHash.Of(v.UtcTicks),
        TimeSpan v => StableHash.Of(v),
        Row v => v.StableHashCode(),
        object?[] v => ArrayHash(v),
        Dictionary<object, object?> v => MapHash(v),
        _ => throw new ArgumentException($"{value.GetType()} is not a SQL value type (see Row)", nameof(value)),
    };

    private static int ArrayHash(object?[] values)
    {
        var hash = 19;
        foreach (var value in values)
        {
            hash = unchecked((hash * 31) + ValueHash(value));
        }

        return hash;
    }

    // Order-independent, as map equality is.
    private static int MapHash(Dictionary<object, object?> map)
    {
        var hash = 23;
        foreach (var (key, value) in map)
        {
            hash = unchecked(hash + ((ValueHash(key) * 31) ^ ValueHash(value)));
        }

        return hash;
    }

    private static void AppendValues(StringBuilder text, ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            AppendValue(text, values[i]);
        }
    }

    private static void AppendValue(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case byte[] bytes:
                text.Append("x'").Append(Convert.ToHexString(bytes)).Append('\'');
                break;
            case object?[] array:
                text.Append('[');
                AppendValues(text, array);
                text.Append(']');
                break;
            case Row row:
                text.Append('(');
                AppendValues(text, row._values);
                text.Append(')');
                break;
            case Dictionary<object, object?> map:
                text.Append('{');
                var first = true;
                foreach (var (key, item) in map)
                {
                    text.Append(first ? string.Empty : ", ");
                    AppendValue(text, key);
                    text.Append('=');
                    AppendValue(text, item);
                    first = false;
                }

                text.Append('}');
                break;
            case DateTime time:
                text.Append(time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset instant:
                text.Append(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                text.Append(formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(value);
                break;
        }
    }
}
