namespace Freshet.Nexmark.Generation;

/// <summary>
/// Parameters of the nexmark generator; the defaults are the nexmark benchmark's. Immutable once given to a
/// <see cref="NexmarkGenerator"/>, which validates it.
/// </summary>
public sealed record NexmarkConfig
{
    /// <summary>Seed of every event's random choices: the same seed gives the same events.</summary>
    public long Seed { get; init; }

    /// <summary>Event time of event 0, Unix milliseconds (default 2015-07-15T00:00:00Z, Beam's base time).</summary>
    public long BaseTimeMs { get; init; } = 1_436_918_400_000;

    /// <summary>
    /// Event-time rate: event <c>n</c> has time <c>BaseTimeMs + n * 1000 / EventTimeRatePerSecond</c> (rounded down).
    /// This spaces event times; how fast events are produced in wall-clock time is the source's business.
    /// </summary>
    public double EventTimeRatePerSecond { get; init; } = 10_000;

    /// <summary>Persons in each group of <see cref="TotalProportion"/> events (default 1).</summary>
    public int PersonProportion { get; init; } = 1;

    /// <summary>Auctions in each group of <see cref="TotalProportion"/> events (default 3).</summary>
    public int AuctionProportion { get; init; } = 3;

    /// <summary>Bids in each group of <see cref="TotalProportion"/> events (default 46).</summary>
    public int BidProportion { get; init; } = 46;

    /// <summary>Sum of the three proportions (50 by default): the kind of event <c>n</c> is decided by <c>n % TotalProportion</c>.</summary>
    public int TotalProportion => PersonProportion + AuctionProportion + BidProportion;

    /// <summary>Recent persons that random bidders and sellers are drawn from (default 1000).</summary>
    public int NumActivePeople { get; init; } = 1000;

    /// <summary>Recent auctions that random bids are drawn from (default 100); also sets the average auction length.</summary>
    public int NumInFlightAuctions { get; init; } = 100;

    /// <summary>A bid goes to a hot auction with probability <c>1 - 1/HotAuctionRatio</c> (default 2).</summary>
    public int HotAuctionRatio { get; init; } = 2;

    /// <summary>An auction has a hot seller with probability <c>1 - 1/HotSellersRatio</c> (default 4).</summary>
    public int HotSellersRatio { get; init; } = 4;

    /// <summary>A bid has a hot bidder with probability <c>1 - 1/HotBiddersRatio</c> (default 4).</summary>
    public int HotBiddersRatio { get; init; } = 4;

    /// <summary>Average person size in bytes that the padding aims at (default 200).</summary>
    public int AvgPersonByteSize { get; init; } = 200;

    /// <summary>Average auction size in bytes that the padding aims at (default 500).</summary>
    public int AvgAuctionByteSize { get; init; } = 500;

    /// <summary>Average bid size in bytes that the padding aims at (default 100).</summary>
    public int AvgBidByteSize { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(EventTimeRatePerSecond > 0 && double.IsFinite(EventTimeRatePerSecond), nameof(EventTimeRatePerSecond), "must be a positive number");
        Require(PersonProportion > 0, nameof(PersonProportion), "must be positive");
        Require(AuctionProportion > 0, nameof(AuctionProportion), "must be positive");
        Require(BidProportion > 0, nameof(BidProportion), "must be positive");
        Require(NumActivePeople > 0, nameof(NumActivePeople), "must be positive");
        Require(NumInFlightAuctions > 0, nameof(NumInFlightAuctions), "must be positive");
        Require(HotAuctionRatio > 0, nameof(HotAuctionRatio), "must be positive");
        Require(HotSellersRatio > 0, nameof(HotSellersRatio), "must be positive");
        Require(HotBiddersRatio > 0, nameof(HotBiddersRatio), "must be positive");
        Require(AvgPersonByteSize >= 0 && AvgAuctionByteSize >= 0 && AvgBidByteSize >= 0, nameof(AvgBidByteSize), "average sizes must not be negative");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"NexmarkConfig.{name} {rule}.", name);
        }
    }
}
