using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The join of two tables on their shared key (Kafka Streams' KTable–KTable join). Per key it stores each side's
/// current value and the last result emitted (<see cref="JoinResultState{TKey, TResult}"/>). A change of either side
/// (an <c>-U</c> is skipped: the <c>+U</c> that follows it carries the new value) replaces that side's value and
/// recomputes the key's result: present when the join type's required sides are present
/// (<see cref="ChangelogJoinType.Inner"/>: both; <see cref="ChangelogJoinType.Left"/>: the left;
/// <see cref="ChangelogJoinType.Full"/>: either), the missing side passed as <c>default</c>. Each subtask runs its
/// own instance; all calls come from its task thread.
/// </summary>
internal sealed class TableTableJoinFunction<TKey, TValue, TOther, TResult>(ChangelogJoinType type, Func<TValue?, TOther?, TResult> joiner, TableJoinOptions options)
    : KeyedCoProcessFunction<TKey, Change<KeyValuePair<TKey, TValue>>, Change<KeyValuePair<TKey, TOther>>, Change<KeyValuePair<TKey, TResult>>>
    where TKey : notnull
{
    private ValueState<TValue> _left = null!;
    private ValueState<TOther> _right = null!;
    private JoinResultState<TKey, TResult> _result = null!;

    public override void Open(RuntimeContext context)
    {
        _left = context.GetState(options.Configure(new ValueStateDescriptor<TValue>("table-join-left")));
        _right = context.GetState(options.Configure(new ValueStateDescriptor<TOther>("table-join-right")));
        _result = new JoinResultState<TKey, TResult>(context, options);
    }

    public override void ProcessElement1(Change<KeyValuePair<TKey, TValue>> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        if (value.Kind == RowKind.UpdateBefore)
        {
            return;
        }

        if (value.IsAddition)
        {
            _left.Update(value.Row.Value);
        }
        else
        {
            _left.Clear();
        }

        Recompute(context.CurrentKey, output);
    }

    public override void ProcessElement2(Change<KeyValuePair<TKey, TOther>> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        if (value.Kind == RowKind.UpdateBefore)
        {
            return;
        }

        if (value.IsAddition)
        {
            _right.Update(value.Row.Value);
        }
        else
        {
            _right.Clear();
        }

        Recompute(context.CurrentKey, output);
    }

    private void Recompute(TKey key, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        var hasLeft = _left.TryGetValue(out var left);
        var hasRight = _right.TryGetValue(out var right);
        var hasResult = type switch
        {
            ChangelogJoinType.Inner => hasLeft && hasRight,
            ChangelogJoinType.Left => hasLeft,
            ChangelogJoinType.Right => hasRight,
            _ => hasLeft || hasRight,
        };
        _result.MoveTo(key, hasResult, hasResult ? joiner(hasLeft ? left : default, hasRight ? right : default) : default!, output);
    }
}
