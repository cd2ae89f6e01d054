namespace Freshet.Streaming.Windows.Triggers;

/// <summary>
/// Fires a window when the watermark passes its end (<c>End − 1</c>), and again for each record that arrives
/// within the allowed lateness (Flink's <c>EventTimeTrigger</c>). The default of event-time windows.
/// </summary>
public static class EventTimeTrigger
{
    /// <summary>The event-time trigger for records of type <typeparamref name="T"/>.</summary>
    public static Trigger<T> Create<T>() => Impl<T>.Instance;

    private sealed class Impl<T> : Trigger<T>
    {
        public static readonly Impl<T> Instance = new();

        public override bool CanMerge => true;

        public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context)
        {
            if (window.MaxTimestamp <= context.CurrentWatermark)
            {
                return TriggerResult.Fire;
            }

            context.RegisterEventTimeTimer(window.MaxTimestamp);
            return TriggerResult.Continue;
        }

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) =>
            time == window.MaxTimestamp ? TriggerResult.Fire : TriggerResult.Continue;

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override void OnMerge(TimeWindow window, TriggerContext context)
        {
            if (window.MaxTimestamp > context.CurrentWatermark)
            {
                context.RegisterEventTimeTimer(window.MaxTimestamp);
            }
        }

        public override void Clear(TimeWindow window, TriggerContext context) => context.DeleteEventTimeTimer(window.MaxTimestamp);
    }
}

/// <summary>Fires a window when the job's clock passes its end (Flink's <c>ProcessingTimeTrigger</c>). The default of processing-time windows.</summary>
public static class ProcessingTimeTrigger
{
    /// <summary>The processing-time trigger for records of type <typeparamref name="T"/>.</summary>
    public static Trigger<T> Create<T>() => Impl<T>.Instance;

    private sealed class Impl<T> : Trigger<T>
    {
        public static readonly Impl<T> Instance = new();

        public override bool CanMerge => true;

        public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context)
        {
            context.RegisterProcessingTimeTimer(window.MaxTimestamp);
            return TriggerResult.Continue;
        }

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Fire;

        public override void OnMerge(TimeWindow window, TriggerContext context)
        {
            if (window.MaxTimestamp > context.CurrentProcessingTime)
            {
                context.RegisterProcessingTimeTimer(window.MaxTimestamp);
            }
        }

        public override void Clear(TimeWindow window, TriggerContext context) => context.DeleteProcessingTimeTimer(window.MaxTimestamp);
    }
}

/// <summary>
/// Fires a window every <c>n</c> records (Flink's <c>CountTrigger</c>): the count is per key and window and restarts
/// after each firing. Does not purge: wrap it in <see cref="PurgingTrigger"/> so each firing sees only new records.
/// </summary>
public static class CountTrigger
{
    private const string CountState = "count";

    /// <summary>Fires every <paramref name="count"/> records.</summary>
    public static Trigger<T> Of<T>(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new Impl<T>(count);
    }

    private sealed class Impl<T>(long count) : Trigger<T>
    {
        public override bool CanMerge => true;

        public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context)
        {
            var state = context.GetState(CountState, 0L);
            var seen = state.Value + 1;
            if (seen >= count)
            {
                state.Clear();
                return TriggerResult.Fire;
            }

            state.Update(seen);
            return TriggerResult.Continue;
        }

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override void OnMerge(TimeWindow window, TriggerContext context)
        {
            long total = 0;
            foreach (var merged in context.MergedWindows)
            {
                total += context.GetStateOf(CountState, 0L, merged).Value;
            }

            context.GetState(CountState, 0L).Update(total);
        }

        public override void Clear(TimeWindow window, TriggerContext context) => context.GetState(CountState, 0L).Clear();
    }
}

/// <summary>Turns every firing of an inner trigger into fire-and-purge (Flink's <c>PurgingTrigger</c>).</summary>
public static class PurgingTrigger
{
    /// <summary>Purges the window's contents whenever <paramref name="inner"/> fires.</summary>
    public static Trigger<T> Of<T>(Trigger<T> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new Impl<T>(inner);
    }

    private sealed class Impl<T>(Trigger<T> inner) : Trigger<T>
    {
        public override bool CanMerge => inner.CanMerge;

        public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context) =>
            Purging(inner.OnElement(element, timestamp, window, context));

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => Purging(inner.OnEventTime(time, window, context));

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => Purging(inner.OnProcessingTime(time, window, context));

        public override void OnMerge(TimeWindow window, TriggerContext context) => inner.OnMerge(window, context);

        public override void Clear(TimeWindow window, TriggerContext context) => inner.Clear(window, context);

        private static TriggerResult Purging(TriggerResult result) => result is TriggerResult.Fire ? TriggerResult.FireAndPurge : result;
    }
}

/// <summary>Never fires: the default of <see cref="GlobalWindows"/>, which need a trigger of their own.</summary>
internal sealed class NeverTrigger<T> : Trigger<T>
{
    public static readonly NeverTrigger<T> Instance = new();

    public override bool CanMerge => true;

    public override TriggerResult OnElement(T element, long timestamp, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override void OnMerge(TimeWindow window, TriggerContext context)
    {
    }

    public override void Clear(TimeWindow window, TriggerContext context)
    {
    }
}
