using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The last step of a foreign-key join, keyed by the left key again: per left key it stores the left row, its
/// current subscription sequence, the right row last answered for that subscription (if an answer came), and the last
/// result (<see cref="JoinResultState{TKey, TResult}"/>). A left change with the current sequence (same foreign key)
/// is joined at once with the stored right row; one with a new sequence waits for the answer of its foreign key, and
/// the old result stays until that answer replaces it. Responses with another sequence are stale (they answer a
/// foreign key the row no longer has, or a row since deleted) and are dropped. So the result of a left key changes in
/// the order of its left changes, normalised. Each subtask runs its own instance; all calls come from its task thread.
/// </summary>
internal sealed class ForeignKeyResultFunction<TKey, TValue, TOther, TResult>(bool inner, Func<TValue, TOther?, TResult> joiner, TableJoinOptions options)
    : KeyedCoProcessFunction<TKey, ForeignKeyLeftChange<TKey, TValue>, ForeignKeyResponse<TKey, TOther>, Change<KeyValuePair<TKey, TResult>>>
    where TKey : notnull
{
    private ValueState<TValue> _left = null!;
    private ValueState<long> _sequence = null!;
    private ValueState<bool> _answered = null!;
    private ValueState<TOther> _right = null!;
    private JoinResultState<TKey, TResult> _result = null!;

    public override void Open(RuntimeContext context)
    {
        _left = context.GetState(options.Configure(new ValueStateDescriptor<TValue>("fk-join-left")));
        _sequence = context.GetState(options.Configure(new ValueStateDescriptor<long>("fk-join-result-sequence")));
        _answered = context.GetState(options.Configure(new ValueStateDescriptor<bool>("fk-join-answered")));
        _right = context.GetState(options.Configure(new ValueStateDescriptor<TOther>("fk-join-answer")));
        _result = new JoinResultState<TKey, TResult>(context, options);
    }

    public override void ProcessElement1(ForeignKeyLeftChange<TKey, TValue> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        if (value.Deleted)
        {
            _result.MoveTo(context.CurrentKey, false, default!, output);
            _left.Clear();
            _sequence.Clear();
            _answered.Clear();
            _right.Clear();
            return;
        }

        _left.Update(value.Value!);
        if (value.Sequence != _sequence.Value)
        {
            _sequence.Update(value.Sequence);
            _right.Clear();
            _answered.Update(value.NoForeignKey);
        }

        if (_answered.Value)
        {
            Recompute(context.CurrentKey, output);
        }
    }

    public override void ProcessElement2(ForeignKeyResponse<TKey, TOther> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        if (!_left.HasValue || value.Sequence != _sequence.Value)
        {
            return;
        }

        _answered.Update(true);
        if (value.Found)
        {
            _right.Update(value.Right!);
        }
        else
        {
            _right.Clear();
        }

        Recompute(context.CurrentKey, output);
    }

    private void Recompute(TKey key, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        var left = _left.Value;
        var found = _right.TryGetValue(out var right);
        var hasResult = found || !inner;
        _result.MoveTo(key, hasResult, hasResult ? joiner(left, found ? right : default) : default!, output);
    }
}
