using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Windows;

/// <summary>Chooses the window operator for an assigner and trigger: the specialised pane operator when it applies, else the general triggered one.</summary>
internal static class WindowOperators
{
    public static Func<OperatorSetup, Operator<TOut>, Operator<T>> Factory<TKey, T, TAcc, TOut>(
        WindowAssigner assigner,
        Trigger<T, TimeWindow>? trigger,
        long allowedLatenessMs,
        OutputTag<T>? lateTag,
        Func<T, TKey> keySelector,
        Func<TAcc> create,
        Func<T, TAcc, TAcc> add,
        Func<TAcc, TAcc, TAcc> merge,
        Func<ProcessingTimeService, WindowResultEmitter<TKey, TAcc, TOut>> emitter)
        where TKey : notnull
    {
        // The pane operator hard-codes EventTimeTrigger semantics for tumbling/sliding event-time windows (the fast path).
        var fastPath = assigner is TumblingEventTimeWindows or SlidingEventTimeWindows && (trigger is null || trigger is EventTimeTrigger<T>);
        if (fastPath)
        {
            return (setup, next) => new WindowOperator<TKey, T, TAcc, TOut>(
                setup, keySelector, assigner, allowedLatenessMs, create, add, emitter(setup.ProcessingTime), next, lateTag is null ? null : setup.SideOutput(lateTag));
        }

        var effectiveTrigger = trigger ?? assigner.DefaultTrigger<T>();
        return (setup, next) => new TriggeredWindowOperator<TKey, T, TAcc, TOut>(
            setup, keySelector, assigner, effectiveTrigger, allowedLatenessMs, create, add, merge, emitter(setup.ProcessingTime), next, lateTag is null ? null : setup.SideOutput(lateTag));
    }
}
