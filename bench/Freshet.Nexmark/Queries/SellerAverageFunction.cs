using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Nexmark.Queries;

/// <summary>
/// q6's outer aggregation, keyed by seller: the average of the seller's last <see cref="Window"/> winning prices.
/// Winning bids reach a seller from several upstream subtasks in no fixed order, so they are held until the watermark
/// passes their closing time and then taken in (expires, auction id) order: the result does not depend on parallelism.
/// </summary>
internal sealed class SellerAverageFunction : KeyedProcessFunction<long, WinningBid, Q6Result>
{
    /// <summary>Number of most recent winning prices averaged.</summary>
    public const int Window = 10;

    private ValueState<List<WinningBid>?> _pending = null!;
    private ValueState<Queue<long>?> _lastPrices = null!;

    public override void Open(RuntimeContext context)
    {
        _pending = context.GetState(new ValueStateDescriptor<List<WinningBid>?>("pending"));
        _lastPrices = context.GetState(new ValueStateDescriptor<Queue<long>?>("last prices"));
    }

    public override void ProcessElement(WinningBid value, KeyedProcessContext<long> context, Collector<Q6Result> output)
    {
        var pending = _pending.Value;
        if (pending is null)
        {
            pending = [];
            _pending.Update(pending);
        }

        pending.Add(value);
        context.TimerService.RegisterEventTimeTimer(value.Expires);
    }

    public override void OnTimer(long timestamp, KeyedProcessContext<long> context, Collector<Q6Result> output)
    {
        if (_pending.Value is not { } pending)
        {
            return;
        }

        pending.Sort(static (a, b) => a.Expires != b.Expires ? a.Expires.CompareTo(b.Expires) : a.Auction.CompareTo(b.Auction));
        var prices = _lastPrices.Value;
        if (prices is null)
        {
            prices = new Queue<long>(Window + 1);
            _lastPrices.Update(prices);
        }

        var taken = 0;
        while (taken < pending.Count && pending[taken].Expires <= timestamp)
        {
            var winner = pending[taken++];
            prices.Enqueue(winner.Price);
            if (prices.Count > Window)
            {
                prices.Dequeue();
            }

            long sum = 0;
            foreach (var price in prices)
            {
                sum += price;
            }

            output.Collect(new Q6Result(winner.Seller, winner.Auction, winner.Expires, sum, prices.Count));
        }

        pending.RemoveRange(0, taken);
        if (pending.Count == 0)
        {
            _pending.Clear();
        }
    }
}
