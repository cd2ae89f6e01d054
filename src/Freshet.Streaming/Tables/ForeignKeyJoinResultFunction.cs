using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The last step of a foreign-key join, keyed by the left key again: per left key it stores the left row, its
/// current subscription sequence, the right row last answered for that subscription (if an answer came), and the last
/// result (<see cref="JoinResultState{TKey, TResult}"/>). A left change with the current sequence (same foreign key)
/// is joined at once with the stored right row; one with a new sequence waits for the answer of its foreign key, and
/// the old result stays until that answer replaces it. Sequences only grow per left key, so a response with a lower
/// sequence is stale (it answers a foreign key the row no longer has, or a row since deleted) and is dropped, and one
/// with a higher sequence answers a left change still on its way (the left change and the subscription travel by
/// different paths, so the answer can overtake it): it is kept as the early answer and used when that change arrives.
/// The sequence outlives a delete of the row, to keep recognising stale responses. So the result of a left key changes
/// in the order of its left changes, normalised. Each subtask runs its own instance; all calls come from its task thread.
/// </summary>
internal sealed class ForeignKeyJoinResultFunction<TKey, TValue, TOther, TResult>(bool inner, Func<TValue, TOther?, TResult> joiner, TableJoinOptions options)
    : KeyedCoProcessFunction<TKey, ForeignKeyLeftChange<TKey, TValue>, ForeignKeyResponse<TKey, TOther>, Change<KeyValuePair<TKey, TResult>>>
    where TKey : notnull
{
    private ValueState<TValue> _left = null!;
    private ValueState<long> _sequence = null!;
    private ValueState<bool> _answered = null!;
    private ValueState<TOther> _right = null!;
    private ValueState<ForeignKeyResponse<TKey, TOther>> _early = null!;
    private JoinResultState<TKey, TResult> _result = null!;

    public override void Open(RuntimeContext context)
    {
        _left = context.GetState(options.Configure(new ValueStateDescriptor<TValue>("fk-join-left")));
        _sequence = context.GetState(options.Configure(new ValueStateDescriptor<long>("fk-join-result-sequence")));
        _answered = context.GetState(options.Configure(new ValueStateDescriptor<bool>("fk-join-answered")));
        _right = context.GetState(options.Configure(new ValueStateDescriptor<TOther>("fk-join-answer")));
        _early = context.GetState(options.Configure(new ValueStateDescriptor<ForeignKeyResponse<TKey, TOther>>("fk-join-early-answer")));
        _result = new JoinResultState<TKey, TResult>(context, options);
    }

    public override void ProcessElement1(ForeignKeyLeftChange<TKey, TValue> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        if (value.Deleted)
        {
            _result.MoveTo(context.CurrentKey, false, default!, output);
            _left.Clear();
            _answered.Clear();
            _right.Clear();
            _sequence.Update(value.Sequence);
            DropEarlyAnswersUpTo(value.Sequence);
            return;
        }

        _left.Update(value.Value!);
        if (value.Sequence != _sequence.Value)
        {
            _sequence.Update(value.Sequence);
            _right.Clear();
            _answered.Update(value.NoForeignKey);
            if (_early.TryGetValue(out var early) && early.Sequence == value.Sequence)
            {
                Answer(early);
            }

            DropEarlyAnswersUpTo(value.Sequence);
        }

        if (_answered.Value)
        {
            Recompute(context.CurrentKey, output);
        }
    }

    public override void ProcessElement2(ForeignKeyResponse<TKey, TOther> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        var sequence = _sequence.Value;
        if (value.Sequence > sequence)
        {
            if (!_early.TryGetValue(out var early) || early.Sequence <= value.Sequence)
            {
                _early.Update(value);
            }

            return;
        }

        if (value.Sequence < sequence || !_left.HasValue)
        {
            return;
        }

        Answer(value);
        Recompute(context.CurrentKey, output);
    }

    private void Answer(ForeignKeyResponse<TKey, TOther> response)
    {
        _answered.Update(true);
        if (response.Found)
        {
            _right.Update(response.Right!);
        }
        else
        {
            _right.Clear();
        }
    }

    private void DropEarlyAnswersUpTo(long sequence)
    {
        if (_early.TryGetValue(out var early) && early.Sequence <= sequence)
        {
            _early.Clear();
        }
    }

    private void Recompute(TKey key, Collector<Change<KeyValuePair<TKey, TResult>>> output)
    {
        var left = _left.Value;
        var found = _right.TryGetValue(out var right);
        var hasResult = found || !inner;
        _result.MoveTo(key, hasResult, hasResult ? joiner(left, found ? right : default) : default!, output);
    }
}
