using Freshet.Nexmark.Model;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Nexmark.Queries;

/// <summary>
/// Keyed by auction id: joins bids with their auction on <c>bid.DateTime ∈ [auction.DateTime, auction.Expires]</c> and
/// keeps the highest price. An event-time timer at <c>Expires</c> emits the winning bid (if any) and clears the key.
/// <para>
/// With a parallel source a bid may reach this operator before its auction. Such bids are buffered; once the
/// watermark passes a buffered bid's time, an auction with <c>DateTime</c> ≤ that time can no longer arrive, so a bid
/// still unmatched then is dropped (it cannot join). Bids arriving after their auction closed are dropped the same way.
/// </para>
/// </summary>
internal sealed class WinningBidFunction : KeyedProcessFunction<long, NexmarkEvent, WinningBid>
{
    private const long NoBid = -1;

    private ValueState<Auction?> _auction = null!;
    private ValueState<long> _maxPrice = null!;
    private ValueState<List<Bid>?> _earlyBids = null!;

    public override void Open(RuntimeContext context)
    {
        _auction = context.GetState(new ValueStateDescriptor<Auction?>("auction"));
        _maxPrice = context.GetState(new ValueStateDescriptor<long>("max price", NoBid));
        _earlyBids = context.GetState(new ValueStateDescriptor<List<Bid>?>("early bids"));
    }

    public override void ProcessElement(NexmarkEvent value, KeyedProcessContext<long> context, Collector<WinningBid> output)
    {
        if (value.Kind == EventKind.Auction)
        {
            var auction = value.Auction!;
            _auction.Update(auction);
            context.TimerService.RegisterEventTimeTimer(auction.Expires);
            if (_earlyBids.Value is { } early)
            {
                foreach (var bid in early)
                {
                    Offer(auction, bid);
                }

                _earlyBids.Clear();
            }

            return;
        }

        var b = value.Bid!;
        if (_auction.Value is { } known)
        {
            Offer(known, b);
            return;
        }

        var buffer = _earlyBids.Value;
        if (buffer is null)
        {
            buffer = [];
            _earlyBids.Update(buffer);
        }

        buffer.Add(b);
        context.TimerService.RegisterEventTimeTimer(b.DateTime);
    }

    public override void OnTimer(long timestamp, KeyedProcessContext<long> context, Collector<WinningBid> output)
    {
        if (_auction.Value is { } auction && auction.Expires <= timestamp)
        {
            var price = _maxPrice.Value;
            if (price != NoBid)
            {
                output.Collect(new WinningBid(auction.Id, auction.Seller, auction.Category, auction.Expires, price));
            }

            _auction.Clear();
            _maxPrice.Clear();
        }

        if (_earlyBids.Value is { } early)
        {
            early.RemoveAll(b => b.DateTime <= timestamp);
            if (early.Count == 0)
            {
                _earlyBids.Clear();
            }
        }
    }

    private void Offer(Auction auction, Bid bid)
    {
        if (bid.DateTime >= auction.DateTime && bid.DateTime <= auction.Expires && bid.Price > _maxPrice.Value)
        {
            _maxPrice.Update(bid.Price);
        }
    }
}
