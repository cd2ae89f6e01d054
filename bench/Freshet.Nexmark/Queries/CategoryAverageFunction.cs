using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Nexmark.Queries;

/// <summary>q4's outer aggregation, keyed by category: running sum and count of winning prices, emitted on every update.</summary>
internal sealed class CategoryAverageFunction : KeyedProcessFunction<long, WinningBid, Q4Result>
{
    private ValueState<(long Sum, long Count)> _total = null!;

    public override void Open(RuntimeContext context) =>
        _total = context.GetState(new ValueStateDescriptor<(long Sum, long Count)>("total"));

    public override void ProcessElement(WinningBid value, KeyedProcessContext<long> context, Collector<Q4Result> output)
    {
        var (sum, count) = _total.Value;
        sum += value.Price;
        count++;
        _total.Update((sum, count));
        output.Collect(new Q4Result(value.Category, sum, count));
    }
}
