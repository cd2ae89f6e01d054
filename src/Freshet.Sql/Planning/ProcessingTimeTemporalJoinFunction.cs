using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// SQL's processing-time temporal join (<c>FOR SYSTEM_TIME AS OF</c> a proctime attribute), keyed by the equality
/// keys: the right side's current rows per key are kept as a multiset (a map state of row → count: inserts and
/// update-afters add, update-befores and deletes remove); each left row is joined at once with the rows present when
/// it arrives and never updated afterwards, so the output is append-only. LEFT joins pad a left row that finds no
/// row passing the condition. Runs on its subtask's task thread only.
/// </summary>
internal sealed class ProcessingTimeTemporalJoinFunction : KeyedCoProcessFunction<Row, Change<Row>, Change<Row>, Change<Row>>
{
    private readonly bool _padLeft;
    private readonly Func<Row, Row, bool>? _condition;
    private readonly Func<Row?, Row?, Row> _combine;
    private MapState<Row, long> _current = null!;

    /// <param name="padLeft">Emit left rows without a match, padded (LEFT joins).</param>
    /// <param name="condition">The rest of the ON condition over a pair, or null.</param>
    /// <param name="combine">The output row of a pair; a null right side is padded with NULLs.</param>
    public ProcessingTimeTemporalJoinFunction(bool padLeft, Func<Row, Row, bool>? condition, Func<Row?, Row?, Row> combine)
    {
        _padLeft = padLeft;
        _condition = condition;
        _combine = combine;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _current = context.GetMapState(new MapStateDescriptor<Row, long>("temporal-join-current"));

    /// <inheritdoc/>
    public override void ProcessElement1(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var matched = false;
        foreach (var (right, count) in _current.Entries())
        {
            if (_condition is null || _condition(value.Row, right))
            {
                matched = true;
                for (var i = 0; i < count; i++)
                {
                    output.Collect(Change.Insert(_combine(value.Row, right)));
                }
            }
        }

        if (_padLeft && !matched)
        {
            output.Collect(Change.Insert(_combine(value.Row, null)));
        }
    }

    /// <inheritdoc/>
    public override void ProcessElement2(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        _current.TryGetValue(value.Row, out var count);
        count += value.IsAddition ? 1 : -1;
        if (count > 0)
        {
            _current.Put(value.Row, count);
        }
        else
        {
            _current.Remove(value.Row);
        }
    }
}
