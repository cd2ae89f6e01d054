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
/// still unmatched then is dropped (it cannot join). Bids arriving after their auction closed cannot join either (their
/// time is past <c>Expires</c> unless they are late): for <see cref="ClosedRetentionMs"/> of event time after the close
/// the key remembers that it closed and drops them at once; later ones take the buffer path and are dropped at the
/// watermark, so the marker only saves work and its expiry keeps state bounded.
/// </para>
/// </summary>
internal sealed class WinningBidFunction : KeyedProcessFunction<long, NexmarkEvent, WinningBid>
{
    /// <summary>Event time after an auction's close during which its key drops further bids without buffering, ms.</summary>
    public const long ClosedRetentionMs = 10_000;

    private const long NoBid = -1;

    private ValueState<Auction?> _auction = null!;
    private ValueState<long> _maxPrice = null!;
    private ValueState<List<Bid>?> _earlyBids = null!;
    private ValueState<long> _closedMarkerUntil = null!;

    public override void Open(RuntimeContext context)
    {
        _auction = context.GetState(new ValueStateDescriptor<Auction?>("auction"));
        _maxPrice = context.GetState(new ValueStateDescriptor<long>("max price", NoBid));
        _earlyBids = context.GetState(new ValueStateDescriptor<List<Bid>?>("early bids"));
        _closedMarkerUntil = context.GetState(new ValueStateDescriptor<long>("closed until"));
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

        if (_closedMarkerUntil.HasValue)
        {
            return;
        }

        var buffer = _earlyBids.Value;
        if (buffer is null)
        {
            buffer = [];
            _earlyBids.Update(buffer);
        }

        // One pending timer per key, at the earliest buffered time; OnTimer re-arms it for what remains.
        if (buffer.Count == 0 || b.DateTime < buffer[0].DateTime)
        {
            context.TimerService.RegisterEventTimeTimer(b.DateTime);
        }

        InsertByTime(buffer, b);
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
            _closedMarkerUntil.Update(auction.Expires + ClosedRetentionMs);
            context.TimerService.RegisterEventTimeTimer(auction.Expires + ClosedRetentionMs);
        }
        else if (_closedMarkerUntil.HasValue && _closedMarkerUntil.Value <= timestamp)
        {
            _closedMarkerUntil.Clear();
        }

        if (_earlyBids.Value is { } early)
        {
            var expired = 0;
            while (expired < early.Count && early[expired].DateTime <= timestamp)
            {
                expired++;
            }

            early.RemoveRange(0, expired);
            if (early.Count == 0)
            {
                _earlyBids.Clear();
            }
            else if (expired > 0)
            {
                context.TimerService.RegisterEventTimeTimer(early[0].DateTime);
            }
        }
    }

    /// <summary>Keeps <paramref name="buffer"/> sorted by time; bids mostly arrive in time order, so this appends.</summary>
    private static void InsertByTime(List<Bid> buffer, Bid bid)
    {
        var i = buffer.Count;
        while (i > 0 && buffer[i - 1].DateTime > bid.DateTime)
        {
            i--;
        }

        buffer.Insert(i, bid);
    }

    private void Offer(Auction auction, Bid bid)
    {
        if (bid.DateTime >= auction.DateTime && bid.DateTime <= auction.Expires && bid.Price > _maxPrice.Value)
        {
            _maxPrice.Update(bid.Price);
        }
    }
}
