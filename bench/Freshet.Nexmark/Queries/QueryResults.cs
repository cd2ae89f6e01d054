namespace Freshet.Nexmark.Queries;

/// <summary>q1: a bid with its price converted to euros (<c>0.908 * price</c>).</summary>
public readonly record struct Q1Result(long Auction, long Bidder, double Price, long DateTime);

/// <summary>q2: a bid on an auction whose id is a multiple of 123.</summary>
public readonly record struct Q2Result(long Auction, long Price);

/// <summary>q3: a seller in OR, ID or CA and one of their auctions in category 10.</summary>
public sealed record Q3Result(string Name, string City, string State, long AuctionId);

/// <summary>
/// The winning bid of a closed auction: the highest price among bids on it with time in
/// <c>[auction.DateTime, auction.Expires]</c> (auctions without such a bid have none). Emitted when the watermark
/// passes <see cref="Expires"/>.
/// </summary>
public readonly record struct WinningBid(long Auction, long Seller, long Category, long Expires, long Price);

/// <summary>
/// q4: the running average winning price of a category after another auction of it closed. The final result of a
/// category is the one with the largest <see cref="Count"/> (its last update).
/// </summary>
public readonly record struct Q4Result(long Category, long PriceSum, long Count)
{
    /// <summary>Average winning price, cents.</summary>
    public double Average => (double)PriceSum / Count;
}

/// <summary>q5: an auction with the most bids (<see cref="Count"/>) in the sliding window <c>[WindowStart, WindowEnd)</c>.</summary>
public readonly record struct Q5Result(long Auction, long Count, long WindowStart, long WindowEnd);

/// <summary>
/// q6: after auction <see cref="Auction"/> of <see cref="Seller"/> closed, the average of the seller's last (up to)
/// 10 winning prices, in order of closing time then auction id.
/// </summary>
public readonly record struct Q6Result(long Seller, long Auction, long Expires, long PriceSum, int Count)
{
    /// <summary>Average of the last winning prices, cents.</summary>
    public double Average => (double)PriceSum / Count;
}

/// <summary>q7: a bid with the highest price of the tumbling 10 s window ending at <see cref="WindowEnd"/>.</summary>
public readonly record struct Q7Result(long Auction, long Price, long Bidder, long DateTime, long WindowEnd);

/// <summary>q8: a person who registered and opened an auction in the same tumbling 10 s window.</summary>
public sealed record Q8Result(long Id, string Name, long WindowStart);
