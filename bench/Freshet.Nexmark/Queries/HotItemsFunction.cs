using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Nexmark.Queries;

/// <summary>
/// q5's second stage, keyed by window end: keeps the highest count seen for the window and the auctions that have it.
/// The counts of a window are emitted upstream before the watermark that fired it, so a timer at the window's last
/// millisecond fires after all of them and emits the winners.
/// </summary>
internal sealed class HotItemsFunction : KeyedProcessFunction<long, Q5Result, Q5Result>
{
    private ValueState<List<Q5Result>?> _best = null!;

    public override void Open(RuntimeContext context) =>
        _best = context.GetState(new ValueStateDescriptor<List<Q5Result>?>("best"));

    public override void ProcessElement(Q5Result value, KeyedProcessContext<long> context, Collector<Q5Result> output)
    {
        var best = _best.Value;
        if (best is null)
        {
            best = [];
            _best.Update(best);
            context.TimerService.RegisterEventTimeTimer(value.WindowEnd - 1);
        }

        if (best.Count > 0 && value.Count < best[0].Count)
        {
            return;
        }

        if (best.Count > 0 && value.Count > best[0].Count)
        {
            best.Clear();
        }

        best.Add(value);
    }

    public override void OnTimer(long timestamp, KeyedProcessContext<long> context, Collector<Q5Result> output)
    {
        if (_best.Value is { } best)
        {
            foreach (var item in best)
            {
                output.Collect(item);
            }

            _best.Clear();
        }
    }
}
