using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The first step of a foreign-key join, keyed by the left key: per left key it stores the foreign key it subscribes
/// to and its subscription sequence. A left change whose foreign key differs from the stored one (or a delete)
/// advances the sequence, withdraws the old subscription and sends a new one (side output
/// <see cref="Subscriptions"/>); every left change goes on to the result step with the current sequence. The sequence
/// survives a delete, so that a response to a subscription from before the delete can never match a later one.
/// Each subtask runs its own instance; all calls come from its task thread.
/// </summary>
internal sealed class ForeignKeyJoinSubscriptionFunction<TKey, TValue, TOtherKey>(Func<TValue, TOtherKey> foreignKey, TableJoinOptions options)
    : KeyedProcessFunction<TKey, Change<KeyValuePair<TKey, TValue>>, ForeignKeyLeftChange<TKey, TValue>>
    where TKey : notnull
    where TOtherKey : notnull
{
    /// <summary>Where subscriptions go, to be keyed by foreign key.</summary>
    public static readonly OutputTag<ForeignKeySubscription<TKey, TOtherKey>> Subscriptions = new("foreign-key-subscriptions");

    private ValueState<long> _sequence = null!;
    private ValueState<TOtherKey> _subscribed = null!;

    public override void Open(RuntimeContext context)
    {
        _sequence = context.GetState(options.Configure(new ValueStateDescriptor<long>("fk-join-sequence")));
        _subscribed = context.GetState(options.Configure(new ValueStateDescriptor<TOtherKey>("fk-join-subscribed")));
    }

    public override void ProcessElement(Change<KeyValuePair<TKey, TValue>> value, KeyedProcessContext<TKey> context, Collector<ForeignKeyLeftChange<TKey, TValue>> output)
    {
        if (value.Kind == RowKind.UpdateBefore)
        {
            return;
        }

        var key = context.CurrentKey;
        var sequence = _sequence.Value;
        var isSubscribed = _subscribed.TryGetValue(out var oldForeignKey);
        if (!value.IsAddition)
        {
            sequence++;
            if (isSubscribed)
            {
                context.Output(Subscriptions, new ForeignKeySubscription<TKey, TOtherKey>(false, oldForeignKey, key, sequence));
                _subscribed.Clear();
            }

            _sequence.Update(sequence);
            output.Collect(new ForeignKeyLeftChange<TKey, TValue>(key, sequence, Deleted: true, NoForeignKey: false, default));
            return;
        }

        var newForeignKey = foreignKey(value.Row.Value);
        var hasForeignKey = newForeignKey is not null;
        if (isSubscribed && hasForeignKey && EqualityComparer<TOtherKey>.Default.Equals(oldForeignKey, newForeignKey))
        {
            output.Collect(new ForeignKeyLeftChange<TKey, TValue>(key, sequence, Deleted: false, NoForeignKey: false, value.Row.Value));
            return;
        }

        sequence++;
        _sequence.Update(sequence);
        if (isSubscribed)
        {
            context.Output(Subscriptions, new ForeignKeySubscription<TKey, TOtherKey>(false, oldForeignKey, key, sequence));
        }

        if (newForeignKey is not null)
        {
            context.Output(Subscriptions, new ForeignKeySubscription<TKey, TOtherKey>(true, newForeignKey, key, sequence));
            _subscribed.Update(newForeignKey);
        }
        else
        {
            _subscribed.Clear();
        }

        output.Collect(new ForeignKeyLeftChange<TKey, TValue>(key, sequence, Deleted: false, NoForeignKey: !hasForeignKey, value.Row.Value));
    }
}
