using System.Buffers;
using System.Runtime.Serialization;
using Freshet.Sql.Binding;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;

namespace Freshet.Sql.Runtime;

/// <summary>
/// The aggregate calls of one GROUP BY (COUNT, SUM, AVG, MIN, MAX, with DISTINCT and FILTER) as one retractable
/// aggregate function over the aggregation's input rows; its result is a row of one value per call, in call order.
/// NULL arguments are skipped; a FILTER condition that is not TRUE skips the row for that call, on add and retract
/// alike. Stateless apart from the accumulators it makes; thread-safe.
/// </summary>
internal sealed class RowAggregateFunction : IRetractableAggregateFunction<Row, RowAccumulator, Row>
{
    private readonly Slot[] _slots;

    internal RowAggregateFunction(IReadOnlyList<BoundCall> calls, TimeProvider clock)
    {
        _slots = new Slot[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            _slots[i] = Slot.For(calls[i], clock);
        }

        AccumulatorSerializer = new AccumulatorSerializerImpl(this);
    }

    /// <summary>The serializer of this function's accumulators, for keyed state and snapshots.</summary>
    public ISerializer<RowAccumulator> AccumulatorSerializer { get; }

    /// <inheritdoc/>
    public RowAccumulator CreateAccumulator()
    {
        var states = new object[_slots.Length];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = _slots[i].Aggregator.CreateState();
        }

        return new RowAccumulator(states);
    }

    /// <inheritdoc/>
    public RowAccumulator Add(Row value, RowAccumulator accumulator)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i].Apply(value, accumulator.States[i], retract: false);
        }

        return accumulator;
    }

    /// <inheritdoc/>
    public RowAccumulator Retract(Row value, RowAccumulator accumulator)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i].Apply(value, accumulator.States[i], retract: true);
        }

        return accumulator;
    }

    /// <inheritdoc/>
    public Row GetResult(RowAccumulator accumulator)
    {
        var values = new object?[_slots.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _slots[i].Aggregator.Result(accumulator.States[i]);
        }

        return new Row(values);
    }

    /// <inheritdoc/>
    public RowAccumulator Merge(RowAccumulator a, RowAccumulator b)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i].Aggregator.Merge(a.States[i], b.States[i]);
        }

        return a;
    }

    /// <summary>One call: its argument, its FILTER and its aggregator.</summary>
    private sealed class Slot(SqlAggregator aggregator, Func<Row, object?> argument, Func<Row, bool>? filter, BoundCall call)
    {
        /// <summary>What COUNT(*) counts: every row, never NULL.</summary>
        private static readonly object AnyRow = true;

        public SqlAggregator Aggregator { get; } = aggregator;

        public static Slot For(BoundCall call, TimeProvider clock)
        {
            if (call.Kind != BoundFunctionKind.Aggregate || call.Over is not null)
            {
                throw new SqlValidationException($"{call.Function} is not a group aggregate call", call.Span);
            }

            var input = call.Arguments.Count == 0 ? Typing.SqlType.BigInt : call.Arguments[0].Type;
            SqlAggregator aggregator = call.Function switch
            {
                "COUNT" => new SqlAggregator.CountAggregator(),
                "SUM" => new SqlAggregator.SumAggregator(input, call.Type, average: false),
                "AVG" => new SqlAggregator.SumAggregator(input, call.Type, average: true),
                "MIN" => new SqlAggregator.ExtremeAggregator(input, maximum: false),
                "MAX" => new SqlAggregator.ExtremeAggregator(input, maximum: true),
                _ => throw new SqlValidationException($"Aggregate function {call.Function} is not supported at run time", call.Span),
            };
            if (call.Distinct && call.Arguments.Count > 0)
            {
                aggregator = new SqlAggregator.DistinctAggregator(aggregator, input);
            }

            var argument = call.Arguments.Count == 0 ? (_ => AnyRow) : ExpressionCompiler.Compile(call.Arguments[0], clock);
            var filter = call.Filter is null ? null : ExpressionCompiler.CompilePredicate(call.Filter, clock);
            return new Slot(aggregator, argument, filter, call);
        }

        public void Apply(Row row, object state, bool retract)
        {
            if ((filter is not null && !filter(row)) || argument(row) is not { } value)
            {
                return;
            }

            try
            {
                if (retract)
                {
                    Aggregator.Retract(state, value);
                }
                else
                {
                    Aggregator.Add(state, value);
                }
            }
            catch (OverflowException e)
            {
                throw new SqlRuntimeException($"{call.Function} overflows at {ExpressionCompiler.Show(value)}", call.Span, e);
            }
        }
    }

    /// <summary>Accumulators as each call's state in order (see <see cref="SqlAggregator.Write"/>).</summary>
    private sealed class AccumulatorSerializerImpl(RowAggregateFunction function) : ISerializer<RowAccumulator>
    {
        public void Serialize(RowAccumulator value, IBufferWriter<byte> output)
        {
            ArgumentNullException.ThrowIfNull(value);
            var writer = new SqlBinaryWriter(output);
            for (var i = 0; i < function._slots.Length; i++)
            {
                function._slots[i].Aggregator.Write(writer, value.States[i]);
            }
        }

        public RowAccumulator Deserialize(ReadOnlySpan<byte> input)
        {
            var reader = new SqlBinaryReader(input);
            var states = new object[function._slots.Length];
            for (var i = 0; i < states.Length; i++)
            {
                states[i] = function._slots[i].Aggregator.Read(ref reader);
            }

            return reader.AtEnd ? new RowAccumulator(states) : throw new SerializationException("Cannot deserialize an aggregate accumulator: bytes are left over.");
        }
    }
}
