using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>A user trigger that fires its window on every record and does not support merging.</summary>
internal sealed class FireEveryRecord : Trigger<Ev>
{
    public override TriggerResult OnElement(Ev element, long timestamp, TimeWindow window, TriggerContext context) => TriggerResult.Fire;

    public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

    public override void Clear(TimeWindow window, TriggerContext context)
    {
    }
}
