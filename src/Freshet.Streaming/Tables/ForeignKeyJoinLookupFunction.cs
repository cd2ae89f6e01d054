using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The second step of a foreign-key join, keyed by the foreign key (the right table's key): it stores the right row
/// and the subscribers, the left keys that reference it, each with its subscription sequence (map state: left key →
/// sequence). A subscription is answered at once with the current right row; a change of the right row (an <c>-U</c>
/// is skipped) is sent to every subscriber. A withdrawal removes the subscriber only if it is newer than the
/// subscription stored. Each subtask runs its own instance; all calls come from its task thread.
/// </summary>
internal sealed class ForeignKeyJoinLookupFunction<TKey, TOtherKey, TOther>(TableJoinOptions options)
    : KeyedCoProcessFunction<TOtherKey, ForeignKeySubscription<TKey, TOtherKey>, Change<KeyValuePair<TOtherKey, TOther>>, ForeignKeyResponse<TKey, TOther>>
    where TKey : notnull
    where TOtherKey : notnull
{
    private MapState<TKey, long> _subscribers = null!;
    private ValueState<TOther> _right = null!;

    public override void Open(RuntimeContext context)
    {
        _subscribers = context.GetMapState(options.Configure(new MapStateDescriptor<TKey, long>("fk-join-subscribers")));
        _right = context.GetState(options.Configure(new ValueStateDescriptor<TOther>("fk-join-right")));
    }

    public override void ProcessElement1(ForeignKeySubscription<TKey, TOtherKey> value, KeyedProcessContext<TOtherKey> context, Collector<ForeignKeyResponse<TKey, TOther>> output)
    {
        if (value.Subscribe)
        {
            _subscribers.Put(value.LeftKey, value.Sequence);
            var found = _right.TryGetValue(out var right);
            output.Collect(new ForeignKeyResponse<TKey, TOther>(value.LeftKey, value.Sequence, found, found ? right : default));
        }
        else if (_subscribers.TryGetValue(value.LeftKey, out var sequence) && sequence < value.Sequence)
        {
            _subscribers.Remove(value.LeftKey);
        }
    }

    public override void ProcessElement2(Change<KeyValuePair<TOtherKey, TOther>> value, KeyedProcessContext<TOtherKey> context, Collector<ForeignKeyResponse<TKey, TOther>> output)
    {
        if (value.Kind == RowKind.UpdateBefore)
        {
            return;
        }

        var found = value.IsAddition;
        if (found)
        {
            _right.Update(value.Row.Value);
        }
        else
        {
            _right.Clear();
        }

        foreach (var (leftKey, sequence) in _subscribers.Entries())
        {
            output.Collect(new ForeignKeyResponse<TKey, TOther>(leftKey, sequence, found, found ? value.Row.Value : default));
        }
    }
}
