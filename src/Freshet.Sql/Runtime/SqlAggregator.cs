using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>
/// One aggregate call's arithmetic over its mutable state: the operator of <see cref="RowAggregateFunction"/> keeps
/// one state per call inside a <see cref="RowAccumulator"/>. Values passed to <see cref="Add"/> and
/// <see cref="Retract"/> are never NULL (NULL inputs are skipped before). The aggregator itself is stateless and
/// thread-safe; a state belongs to one accumulator.
/// </summary>
internal abstract class SqlAggregator
{
    public abstract object CreateState();

    public abstract void Add(object state, object value);

    public abstract void Retract(object state, object value);

    public abstract object? Result(object state);

    /// <summary>Adds everything <paramref name="other"/> holds into <paramref name="state"/>.</summary>
    public abstract void Merge(object state, object other);

    public abstract void Write(SqlBinaryWriter writer, object state);

    public abstract object Read(ref SqlBinaryReader reader);

    /// <summary>A number of rows (COUNT), or of non-null values.</summary>
    internal sealed class Counter
    {
        public long Count;
    }

    /// <summary>COUNT(*) and COUNT(x).</summary>
    internal sealed class CountAggregator : SqlAggregator
    {
        public override object CreateState() => new Counter();

        public override void Add(object state, object value) => ((Counter)state).Count++;

        public override void Retract(object state, object value) => ((Counter)state).Count--;

        public override object? Result(object state) => ((Counter)state).Count;

        public override void Merge(object state, object other) => ((Counter)state).Count += ((Counter)other).Count;

        public override void Write(SqlBinaryWriter writer, object state) => writer.WriteVarLong(((Counter)state).Count);

        public override object Read(ref SqlBinaryReader reader) => new Counter { Count = reader.ReadVarLong() };
    }

    /// <summary>The running sum and count of non-null values of SUM and AVG. Integers sum in a 64-bit integer that wraps
    /// as Java's, DECIMAL in decimal, FLOAT and DOUBLE in double.</summary>
    internal sealed class Sum
    {
        public long Count;
        public long Integer;
        public double Floating;
        public decimal Exact;
    }

    /// <summary>SUM (<paramref name="average"/> false) or AVG of a numeric input.</summary>
    internal sealed class SumAggregator(SqlType input, SqlType result, bool average) : SqlAggregator
    {
        private readonly SqlTypeKind _input = input.Kind;
        private readonly Func<object, object> _toResult = SqlCasts.Converter(
            input.Kind == SqlTypeKind.Decimal ? SqlType.Decimal(SqlType.MaxDecimalPrecision, Math.Min(result.Scale, 28)) : SqlTypeRules.IsExactInteger(input) ? SqlType.BigInt : SqlType.Double,
            result);

        public override object CreateState() => new Sum();

        public override void Add(object state, object value) => Apply((Sum)state, value, 1);

        public override void Retract(object state, object value) => Apply((Sum)state, value, -1);

        public override object? Result(object state)
        {
            var sum = (Sum)state;
            if (sum.Count == 0)
            {
                return null;
            }

            object total = _input switch
            {
                SqlTypeKind.Decimal => (object)(average ? sum.Exact / sum.Count : sum.Exact),
                // Flink's AVG of integers keeps the integer type: the sum divided with truncation.
                SqlTypeKind.TinyInt or SqlTypeKind.SmallInt or SqlTypeKind.Int or SqlTypeKind.BigInt => average ? sum.Integer / sum.Count : sum.Integer,
                _ => average ? sum.Floating / sum.Count : sum.Floating,
            };
            return _toResult(total);
        }

        public override void Merge(object state, object other)
        {
            var into = (Sum)state;
            var from = (Sum)other;
            into.Count += from.Count;
            into.Integer = unchecked(into.Integer + from.Integer);
            into.Floating += from.Floating;
            into.Exact += from.Exact;
        }

        public override void Write(SqlBinaryWriter writer, object state)
        {
            var sum = (Sum)state;
            writer.WriteVarLong(sum.Count);
            writer.WriteVarLong(sum.Integer);
            writer.WriteDouble(sum.Floating);
            writer.WriteDecimal(sum.Exact);
        }

        public override object Read(ref SqlBinaryReader reader) => new Sum
        {
            Count = reader.ReadVarLong(),
            Integer = reader.ReadVarLong(),
            Floating = reader.ReadDouble(),
            Exact = reader.ReadDecimal(),
        };

        private static void Apply(Sum sum, object value, int sign)
        {
            sum.Count += sign;
            switch (value)
            {
                case sbyte v:
                    sum.Integer = unchecked(sum.Integer + (sign * v));
                    break;
                case short v:
                    sum.Integer = unchecked(sum.Integer + (sign * v));
                    break;
                case int v:
                    sum.Integer = unchecked(sum.Integer + (sign * v));
                    break;
                case long v:
                    sum.Integer = unchecked(sum.Integer + (sign * v));
                    break;
                case float v:
                    sum.Floating += sign * (double)v;
                    break;
                case double v:
                    sum.Floating += sign * v;
                    break;
                case decimal v:
                    sum.Exact += sign * v;
                    break;
                default:
                    throw new ArgumentException($"SUM/AVG of a non-numeric {value.GetType().Name}", nameof(value));
            }
        }
    }

    /// <summary>MIN and MAX over a sorted multiset of the values (value → count), so that a retracted extreme gives
    /// way to the next one.</summary>
    internal sealed class ExtremeAggregator(SqlType input, bool maximum) : SqlAggregator
    {
        private readonly SqlValueCodec _codec = SqlValueCodec.For(input);

        public override object CreateState() => new SortedDictionary<object, long>(SqlValues.Comparer);

        public override void Add(object state, object value)
        {
            var values = (SortedDictionary<object, long>)state;
            values[value] = values.GetValueOrDefault(value) + 1;
        }

        public override void Retract(object state, object value)
        {
            var values = (SortedDictionary<object, long>)state;
            if (values.TryGetValue(value, out var count))
            {
                if (count <= 1)
                {
                    values.Remove(value);
                }
                else
                {
                    values[value] = count - 1;
                }
            }
        }

        public override object? Result(object state)
        {
            var values = (SortedDictionary<object, long>)state;
            if (values.Count == 0)
            {
                return null;
            }

            if (!maximum)
            {
                using var first = values.Keys.GetEnumerator();
                first.MoveNext();
                return first.Current;
            }

            return values.Keys.Last();
        }

        public override void Merge(object state, object other)
        {
            var into = (SortedDictionary<object, long>)state;
            foreach (var (value, count) in (SortedDictionary<object, long>)other)
            {
                into[value] = into.GetValueOrDefault(value) + count;
            }
        }

        public override void Write(SqlBinaryWriter writer, object state) => WriteCounts(writer, (IReadOnlyDictionary<object, long>)state, _codec);

        public override object Read(ref SqlBinaryReader reader)
        {
            var values = new SortedDictionary<object, long>(SqlValues.Comparer);
            ReadCounts(ref reader, _codec, values);
            return values;
        }
    }

    /// <summary>The distinct values seen (value → how many times) and the inner aggregate over them.</summary>
    internal sealed class DistinctState(object inner)
    {
        public Dictionary<object, long> Counts { get; } = new(SqlValues.EqualityComparer);

        public object Inner { get; set; } = inner;
    }

    /// <summary>An aggregate over DISTINCT values: a value reaches the inner aggregate when its count becomes 1 and
    /// leaves it when its count returns to 0, so DISTINCT retracts.</summary>
    internal sealed class DistinctAggregator(SqlAggregator inner, SqlType input) : SqlAggregator
    {
        private readonly SqlValueCodec _codec = SqlValueCodec.For(input);

        public override object CreateState() => new DistinctState(inner.CreateState());

        public override void Add(object state, object value)
        {
            var distinct = (DistinctState)state;
            var count = distinct.Counts.GetValueOrDefault(value);
            distinct.Counts[value] = count + 1;
            if (count == 0)
            {
                inner.Add(distinct.Inner, value);
            }
        }

        public override void Retract(object state, object value)
        {
            var distinct = (DistinctState)state;
            if (!distinct.Counts.TryGetValue(value, out var count))
            {
                return;
            }

            if (count <= 1)
            {
                distinct.Counts.Remove(value);
                inner.Retract(distinct.Inner, value);
            }
            else
            {
                distinct.Counts[value] = count - 1;
            }
        }

        public override object? Result(object state) => inner.Result(((DistinctState)state).Inner);

        public override void Merge(object state, object other)
        {
            foreach (var (value, count) in ((DistinctState)other).Counts)
            {
                var into = (DistinctState)state;
                var existing = into.Counts.GetValueOrDefault(value);
                into.Counts[value] = existing + count;
                if (existing == 0)
                {
                    inner.Add(into.Inner, value);
                }
            }
        }

        public override void Write(SqlBinaryWriter writer, object state)
        {
            var distinct = (DistinctState)state;
            WriteCounts(writer, distinct.Counts, _codec);
            inner.Write(writer, distinct.Inner);
        }

        public override object Read(ref SqlBinaryReader reader)
        {
            var counts = new Dictionary<object, long>(SqlValues.EqualityComparer);
            ReadCounts(ref reader, _codec, counts);
            var state = new DistinctState(inner.Read(ref reader));
            foreach (var (value, count) in counts)
            {
                state.Counts[value] = count;
            }

            return state;
        }
    }

    private static void WriteCounts(SqlBinaryWriter writer, IReadOnlyDictionary<object, long> counts, SqlValueCodec codec)
    {
        writer.WriteVarULong((ulong)counts.Count);
        foreach (var (value, count) in counts)
        {
            codec.Write(writer, value);
            writer.WriteVarLong(count);
        }
    }

    private static void ReadCounts(ref SqlBinaryReader reader, SqlValueCodec codec, IDictionary<object, long> into)
    {
        var entries = reader.Count();
        for (var i = 0; i < entries; i++)
        {
            var value = codec.Read(ref reader);
            into[value] = reader.ReadVarLong();
        }
    }
}
