using Freshet.Nexmark.Model;
using Freshet.Streaming;
using Freshet.Streaming.Windows;

namespace Freshet.Nexmark.Queries;

/// <summary>
/// Nexmark queries q0–q8 as DataStream jobs over the single event stream (see docs/nexmark.md for each definition and
/// how it relates to the nexmark SQL). Each method appends operators to <c>events</c> and returns the result stream.
/// </summary>
public static class NexmarkQueries
{
    /// <summary>Window size of q5 (sliding), q7 and q8 (tumbling).</summary>
    public static readonly TimeSpan WindowSize = TimeSpan.FromSeconds(10);

    /// <summary>Slide of the q5 sliding window.</summary>
    public static readonly TimeSpan HotItemsSlide = TimeSpan.FromSeconds(2);

    /// <summary>Names of the queries, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"];

    /// <summary>q0, pass-through: every bid.</summary>
    public static DataStream<Bid> Q0(DataStream<NexmarkEvent> events) =>
        Bids(events).WithName("q0");

    /// <summary>q1, currency conversion: every bid with <c>price * 0.908</c>.</summary>
    public static DataStream<Q1Result> Q1(DataStream<NexmarkEvent> events) =>
        Bids(events).Map(static b => new Q1Result(b.Auction, b.Bidder, 0.908 * b.Price, b.DateTime)).WithName("q1");

    /// <summary>q2, selection: bids on auctions whose id is a multiple of 123.</summary>
    public static DataStream<Q2Result> Q2(DataStream<NexmarkEvent> events) =>
        Bids(events).Filter(static b => b.Auction % 123 == 0).Map(static b => new Q2Result(b.Auction, b.Price)).WithName("q2");

    /// <summary>
    /// q3, local item suggestion: persons in OR, ID or CA joined with auctions of category 10 on
    /// <c>seller = person.id</c>, as an incremental regular join (each pair is emitted once, when its second side arrives).
    /// </summary>
    public static DataStream<Q3Result> Q3(DataStream<NexmarkEvent> events) =>
        events.Filter(static e => e.Kind switch
            {
                EventKind.Person => e.Person!.State is "OR" or "ID" or "CA",
                EventKind.Auction => e.Auction!.Category == 10,
                _ => false,
            })
            .KeyBy(static e => e.Kind == EventKind.Person ? e.Person!.Id : e.Auction!.Seller)
            .Process(new LocalItemSuggestionFunction())
            .WithName("q3");

    /// <summary>Winning bids of closed auctions (the inner query of q4 and q6).</summary>
    public static DataStream<WinningBid> WinningBids(DataStream<NexmarkEvent> events) =>
        events.Filter(static e => e.Kind != EventKind.Person)
            .KeyBy(static e => e.Kind == EventKind.Auction ? e.Auction!.Id : e.Bid!.Auction)
            .Process(new WinningBidFunction())
            .WithName("winning bids");

    /// <summary>q4, average price per category: running average of the winning prices of each category.</summary>
    public static DataStream<Q4Result> Q4(DataStream<NexmarkEvent> events) =>
        WinningBids(events).KeyBy(static w => w.Category).Process(new CategoryAverageFunction()).WithName("q4");

    /// <summary>
    /// q5, hot items: per sliding window (10 s, slide 2 s), the auction(s) with the most bids.
    /// </summary>
    public static DataStream<Q5Result> Q5(DataStream<NexmarkEvent> events) =>
        Bids(events)
            .KeyBy(static b => b.Auction)
            .Window(SlidingEventTimeWindows.Of(WindowSize, HotItemsSlide))
            .Aggregate(new BidCountAggregate(), new AuctionCountWindowFunction())
            .KeyBy(static c => c.WindowEnd)
            .Process(new HotItemsFunction())
            .WithName("q5");

    /// <summary>q6, average selling price by seller: the average of each seller's last 10 winning prices.</summary>
    public static DataStream<Q6Result> Q6(DataStream<NexmarkEvent> events) =>
        WinningBids(events).KeyBy(static w => w.Seller).Process(new SellerAverageFunction()).WithName("q6");

    /// <summary>q7, highest bid: per tumbling 10 s window, the bid(s) with the highest price.</summary>
    public static DataStream<Q7Result> Q7(DataStream<NexmarkEvent> events) =>
        Bids(events)
            .KeyBy(static _ => 0L)
            .Window(TumblingEventTimeWindows.Of(WindowSize))
            .Aggregate(new MaxBidsAggregate(), new MaxBidsWindowFunction())
            .WithName("q7");

    /// <summary>q8, monitor new users: persons who opened an auction in the tumbling 10 s window in which they registered.</summary>
    public static DataStream<Q8Result> Q8(DataStream<NexmarkEvent> events) =>
        events.Filter(static e => e.Kind != EventKind.Bid)
            .KeyBy(static e => e.Kind == EventKind.Person ? e.Person!.Id : e.Auction!.Seller)
            .Window(TumblingEventTimeWindows.Of(WindowSize))
            .Aggregate(new NewUserAggregate(), new NewUserWindowFunction())
            .WithName("q8");

    private static DataStream<Bid> Bids(DataStream<NexmarkEvent> events) =>
        events.Filter(static e => e.Kind == EventKind.Bid).Map(static e => e.Bid!);
}
