using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The stream–table join at processing time (Kafka Streams' KStream–KTable join): per key it stores the table's
/// current value; a stream record is joined with it at once and not stored, so table changes that arrive after the
/// record never update its result. With <c>inner</c>, a record whose key has no row is dropped; otherwise it is joined
/// with <c>default</c>. Results keep the stream record's event time. Each subtask runs its own instance; all calls
/// come from its task thread.
/// </summary>
internal sealed class ProcessingTimeTableJoinFunction<TKey, T, TValue, TOut>(bool inner, Func<T, TValue?, TOut> joiner, StreamTableJoinOptions options)
    : KeyedCoProcessFunction<TKey, T, Change<KeyValuePair<TKey, TValue>>, TOut>
    where TKey : notnull
{
    private ValueState<TValue> _current = null!;

    public override void Open(RuntimeContext context) =>
        _current = context.GetState(options.Configure(new ValueStateDescriptor<TValue>("stream-table-join-current")));

    public override void ProcessElement1(T value, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        if (_current.TryGetValue(out var row))
        {
            output.Collect(joiner(value, row));
        }
        else if (!inner)
        {
            output.Collect(joiner(value, default));
        }
    }

    public override void ProcessElement2(Change<KeyValuePair<TKey, TValue>> value, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        switch (value.Kind)
        {
            case RowKind.Insert or RowKind.UpdateAfter:
                _current.Update(value.Row.Value);
                break;
            case RowKind.Delete:
                _current.Clear();
                break;
        }
    }
}
