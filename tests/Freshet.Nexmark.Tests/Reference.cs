using Freshet.Nexmark.Queries;

namespace Freshet.Nexmark.Tests;

/// <summary>
/// Each query computed the obvious way with LINQ over the whole bounded input (no streaming, no state, no watermarks):
/// the oracle the jobs are compared with.
/// </summary>
public static class Reference
{
    private const long WindowMs = 10_000;
    private const long SlideMs = 2_000;

    public static IEnumerable<Q1Result> Q1(ReferenceData d) => d.Bids.Select(b => new Q1Result(b.Auction, b.Bidder, 0.908 * b.Price, b.DateTime));

    public static IEnumerable<Q2Result> Q2(ReferenceData d) => d.Bids.Where(b => b.Auction % 123 == 0).Select(b => new Q2Result(b.Auction, b.Price));

    public static IEnumerable<Q3Result> Q3(ReferenceData d) =>
        from p in d.Persons
        where p.State is "OR" or "ID" or "CA"
        join a in d.Auctions.Where(a => a.Category == 10) on p.Id equals a.Seller
        select new Q3Result(p.Name, p.City, p.State, a.Id);

    /// <summary>SQL: <c>MAX(B.price) ... FROM auction A, bid B WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires GROUP BY A.id</c>.</summary>
    public static IEnumerable<WinningBid> WinningBids(ReferenceData d)
    {
        var bidsByAuction = d.Bids.ToLookup(b => b.Auction);
        return from a in d.Auctions
               let prices = bidsByAuction[a.Id].Where(b => b.DateTime >= a.DateTime && b.DateTime <= a.Expires).Select(b => b.Price).ToList()
               where prices.Count > 0
               select new WinningBid(a.Id, a.Seller, a.Category, a.Expires, prices.Max());
    }

    /// <summary>The final average per category: sum and count of the winning prices of all its auctions.</summary>
    public static IEnumerable<Q4Result> Q4Final(ReferenceData d) =>
        WinningBids(d).GroupBy(w => w.Category).Select(g => new Q4Result(g.Key, g.Sum(w => w.Price), g.Count()));

    public static IEnumerable<Q5Result> Q5(ReferenceData d)
    {
        // Every sliding window [start, start + 10 s) with start a multiple of 2 s that contains the bid.
        var counts = d.Bids
            .SelectMany(b => Enumerable.Range(0, (int)(WindowMs / SlideMs)).Select(k => (Start: (b.DateTime - (b.DateTime % SlideMs)) - (k * SlideMs), b.Auction)))
            .GroupBy(x => x)
            .Select(g => (g.Key.Start, g.Key.Auction, Count: (long)g.Count()))
            .ToList();
        return from c in counts
               group c by c.Start into window
               let max = window.Max(c => c.Count)
               from c in window
               where c.Count == max
               select new Q5Result(c.Auction, c.Count, c.Start, c.Start + WindowMs);
    }

    /// <summary>Every update: per seller, winners in (expires, auction id) order, each with the average of the last 10 prices.</summary>
    public static IEnumerable<Q6Result> Q6(ReferenceData d) =>
        WinningBids(d).GroupBy(w => w.Seller).SelectMany(g =>
        {
            var ordered = g.OrderBy(w => w.Expires).ThenBy(w => w.Auction).ToList();
            return ordered.Select((w, i) =>
            {
                var last = ordered.Skip(Math.Max(0, i - 9)).Take(Math.Min(10, i + 1)).ToList();
                return new Q6Result(w.Seller, w.Auction, w.Expires, last.Sum(x => x.Price), last.Count);
            });
        });

    public static IEnumerable<Q7Result> Q7(ReferenceData d) =>
        from b in d.Bids
        group b by b.DateTime - (b.DateTime % WindowMs) into window
        let max = window.Max(b => b.Price)
        from b in window
        where b.Price == max
        select new Q7Result(b.Auction, b.Price, b.Bidder, b.DateTime, window.Key + WindowMs);

    public static IEnumerable<Q8Result> Q8(ReferenceData d)
    {
        var sellerWindows = d.Auctions.Select(a => (a.Seller, Start: a.DateTime - (a.DateTime % WindowMs))).ToHashSet();
        return d.Persons
            .Select(p => new Q8Result(p.Id, p.Name, p.DateTime - (p.DateTime % WindowMs)))
            .Where(p => sellerWindows.Contains((p.Id, p.WindowStart)))
            .Distinct();
    }
}
