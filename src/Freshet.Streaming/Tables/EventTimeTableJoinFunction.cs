using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// The stream–table join at event time (Flink's event-time temporal join, <c>TemporalRowTimeJoinOperator</c>). Per key
/// it stores the table's versions (event time, deleted or value), sorted by time, and the stream records that wait
/// for the watermark. A stream record at time <c>t</c> is joined once the watermark passes <c>t</c> (an event-time
/// timer at <c>t + 1</c>: the engine's watermark <c>w</c> still admits records at <c>w</c>), with the version valid at
/// <c>t</c>: the latest one with time ≤ <c>t</c>, none if that one is a delete or there is none. Results carry the
/// stream record's time. Versions are pruned against the lowest time a record can still be joined at (the watermark,
/// or an earlier waiting record's time): of those older than it only the newest is kept, and dropped if it is a delete.
/// A stream record that arrives behind the watermark is joined at the next watermark with the versions still kept.
/// A table change with the same time as a stored version replaces it (the later change of the changelog wins).
/// Each subtask runs its own instance; all calls come from its task thread.
/// </summary>
internal sealed class EventTimeTableJoinFunction<TKey, T, TValue, TOut>(bool inner, Func<T, TValue?, TOut> joiner, StreamTableJoinOptions options)
    : KeyedCoProcessFunction<TKey, T, Change<KeyValuePair<TKey, TValue>>, TOut>
    where TKey : notnull
{
    private ValueState<List<(long Time, bool Deleted, TValue? Value)>?> _versions = null!;
    private ValueState<List<(T Value, long Time)>?> _waiting = null!;

    public override void Open(RuntimeContext context)
    {
        _versions = context.GetState(options.Configure(new ValueStateDescriptor<List<(long Time, bool Deleted, TValue? Value)>?>("temporal-join-versions")));
        _waiting = context.GetState(options.Configure(new ValueStateDescriptor<List<(T Value, long Time)>?>("temporal-join-waiting")));
    }

    public override void ProcessElement1(T value, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        var time = RequireTime(context);
        // Kept sorted by time, equal times in arrival order, so that a timer emits a prefix in time order.
        var waiting = _waiting.Value ?? [];
        var index = waiting.Count;
        while (index > 0 && waiting[index - 1].Time > time)
        {
            index--;
        }

        waiting.Insert(index, (value, time));
        _waiting.Update(waiting);
        context.TimerService.RegisterEventTimeTimer(time == long.MaxValue ? time : time + 1);
    }

    public override void ProcessElement2(Change<KeyValuePair<TKey, TValue>> value, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        if (value.Kind == RowKind.UpdateBefore)
        {
            return;
        }

        var time = RequireTime(context);
        var versions = _versions.Value ?? [];
        var version = (time, !value.IsAddition, value.IsAddition ? value.Row.Value : default);
        var index = versions.Count;
        while (index > 0 && versions[index - 1].Time > time)
        {
            index--;
        }

        if (index > 0 && versions[index - 1].Time == time)
        {
            versions[index - 1] = version;
        }
        else
        {
            versions.Insert(index, version);
        }

        var lowest = context.TimerService.CurrentWatermark;
        if (_waiting.Value is { Count: > 0 } waiting)
        {
            lowest = Math.Min(lowest, waiting[0].Time);
        }

        Store(Prune(versions, lowest));
    }

    public override void OnTimer(long timestamp, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
        var watermark = context.TimerService.CurrentWatermark;
        var waiting = _waiting.Value;
        var versions = _versions.Value ?? [];
        if (waiting is not null)
        {
            var due = 0;
            while (due < waiting.Count && waiting[due].Time < watermark)
            {
                var (record, time) = waiting[due++];
                var found = TryFindVersion(versions, time, out var row);
                if (found || !inner)
                {
                    if (output is OutputCollector<TOut> collector)
                    {
                        collector.Timestamp = time;
                    }

                    output.Collect(joiner(record, found ? row : default));
                }
            }

            waiting.RemoveRange(0, due);
            if (waiting.Count == 0)
            {
                _waiting.Clear();
            }
            else
            {
                _waiting.Update(waiting);
                watermark = Math.Min(watermark, waiting[0].Time);
            }
        }

        Store(Prune(versions, watermark));
    }

    private void Store(List<(long Time, bool Deleted, TValue? Value)> versions)
    {
        if (versions.Count == 0)
        {
            _versions.Clear();
        }
        else
        {
            _versions.Update(versions);
        }
    }

    /// <summary>The value valid at <paramref name="time"/>: the latest version at or before it, unless it is a delete.</summary>
    private static bool TryFindVersion(List<(long Time, bool Deleted, TValue? Value)> versions, long time, out TValue? value)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].Time <= time)
            {
                value = versions[i].Value;
                return !versions[i].Deleted;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Removes the versions no record at or after <paramref name="lowest"/> can be joined with: all before
    /// it but the newest, and that one too when it is a delete.</summary>
    private static List<(long Time, bool Deleted, TValue? Value)> Prune(List<(long Time, bool Deleted, TValue? Value)> versions, long lowest)
    {
        var newestBefore = -1;
        for (var i = 0; i < versions.Count && versions[i].Time < lowest; i++)
        {
            newestBefore = i;
        }

        if (newestBefore < 0)
        {
            return versions;
        }

        var drop = versions[newestBefore].Deleted ? newestBefore + 1 : newestBefore;
        versions.RemoveRange(0, drop);
        return versions;
    }

    private static long RequireTime(KeyedProcessContext<TKey> context) =>
        context.Timestamp ?? throw new InvalidOperationException("An event-time stream–table join needs event times on both inputs: assign them with a WatermarkStrategy.");
}
