using System.Globalization;
using System.Text.RegularExpressions;
using Freshet.Nexmark.Model;
using Freshet.Nexmark.Queries;

namespace Freshet.Nexmark.Tests;

/// <summary>
/// Each query computed the obvious way with LINQ over the whole bounded input (no streaming, no state, no watermarks):
/// the oracle the jobs are compared with. q9–q22 follow the nexmark project's SQL queries (their final results); where
/// SQL leaves a choice open (a tie in a ROW_NUMBER order), the reference returns every candidate.
/// </summary>
public static partial class Reference
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

    /// <summary>
    /// q9, the winning bid of each auction: among its bids with <c>dateTime</c> in [auction start, expires], the highest
    /// price, then the earliest; <see cref="WinningBidCandidates.Tied"/> holds every bid equal to the winner on both.
    /// </summary>
    public static IEnumerable<WinningBidCandidates> Q9(IEnumerable<Auction> auctions, IEnumerable<Bid> bids)
    {
        var bidsByAuction = bids.ToLookup(b => b.Auction);
        foreach (var a in auctions)
        {
            var valid = bidsByAuction[a.Id].Where(b => b.DateTime >= a.DateTime && b.DateTime <= a.Expires).ToList();
            if (valid.Count == 0)
            {
                continue;
            }

            var price = valid.Max(b => b.Price);
            var time = valid.Where(b => b.Price == price).Min(b => b.DateTime);
            yield return new WinningBidCandidates(a, price, time, valid.Where(b => b.Price == price && b.DateTime == time).ToList());
        }
    }

    /// <summary>q10's rows: every bid with its day and minute, <c>yyyy-MM-dd</c> and <c>HH:mm</c> in UTC.</summary>
    public static IEnumerable<(long Auction, long Bidder, long Price, long DateTime, string Extra, string Day, string Minute)> Q10(IEnumerable<Bid> bids) =>
        bids.Select(b => (b.Auction, b.Bidder, b.Price, b.DateTime, b.Extra, Day(b.DateTime), Minute(b.DateTime)));

    /// <summary>
    /// q11, bids per bidder session with a 10-second gap: a bidder's bids in time order stay in one session while each
    /// is at most the gap after the previous (session windows [t, t + gap) merge when they touch, as Flink's); the
    /// session is [first, last + gap).
    /// </summary>
    public static IEnumerable<(long Bidder, long Count, long Start, long End)> Q11(IEnumerable<Bid> bids, long gapMs = 10_000)
    {
        foreach (var bidder in bids.GroupBy(b => b.Bidder))
        {
            var times = bidder.Select(b => b.DateTime).Order().ToList();
            var start = times[0];
            var last = times[0];
            long count = 1;
            foreach (var t in times.Skip(1))
            {
                if (t - last > gapMs)
                {
                    yield return (bidder.Key, count, start, last + gapMs);
                    start = t;
                    count = 0;
                }

                last = t;
                count++;
            }

            yield return (bidder.Key, count, start, last + gapMs);
        }
    }

    /// <summary>
    /// The deterministic part of q12 (processing-time windows), and of any windowing of the bids by bidder: the number
    /// of bids of each bidder, which the window counts of that bidder add up to whichever windows the bids fall in.
    /// </summary>
    public static IEnumerable<(long Bidder, long Count)> BidsPerBidder(IEnumerable<Bid> bids) =>
        bids.GroupBy(b => b.Bidder).Select(g => (g.Key, (long)g.Count()));

    /// <summary>q13 with the side input of <see cref="NexmarkSql.WriteSideInput"/> (key i has value "i"): every bid
    /// finds its row, the value of <c>auction % 10000</c>.</summary>
    public static IEnumerable<(long Auction, long Bidder, long Price, long DateTime, string Value)> Q13(IEnumerable<Bid> bids, int sideInputRows = NexmarkSql.SideInputRows) =>
        from b in bids
        let key = b.Auction % 10_000
        where key >= 0 && key < sideInputRows
        select (b.Auction, b.Bidder, b.Price, b.DateTime, key.ToString(CultureInfo.InvariantCulture));

    /// <summary>q14: bids with 1,000,000 &lt; 0.908 * price &lt; 50,000,000, the converted price, the class of the UTC hour
    /// (8–18 day, 0–6 and 20–23 night, else other) and the count of 'c' in extra.</summary>
    public static IEnumerable<(long Auction, long Bidder, decimal Price, string BidTimeType, long DateTime, string Extra, long CCounts)> Q14(IEnumerable<Bid> bids) =>
        from b in bids
        let price = 0.908m * b.Price
        where price > 1_000_000m && price < 50_000_000m
        let hour = DateTimeOffset.FromUnixTimeMilliseconds(b.DateTime).UtcDateTime.Hour
        let type = hour is >= 8 and <= 18 ? "dayTime" : hour <= 6 || hour >= 20 ? "nightTime" : "otherTime"
        select (b.Auction, b.Bidder, price, type, b.DateTime, b.Extra, (long)b.Extra.Count(c => c == 'c'));

    /// <summary>q15: per day, counts of bids, distinct bidders and distinct auctions, in total and per price rank
    /// (below 10,000; 10,000 to below 1,000,000; from 1,000,000).</summary>
    public static IEnumerable<RankStatistics> Q15(IEnumerable<Bid> bids) =>
        bids.GroupBy(b => Day(b.DateTime)).Select(g => RankStatistics.Of(g.Key, g.ToList()));

    /// <summary>q16: q15 per channel and day, with the latest <c>HH:mm</c> of the group.</summary>
    public static IEnumerable<(string Channel, string Minute, RankStatistics Statistics)> Q16(IEnumerable<Bid> bids) =>
        bids.GroupBy(b => (b.Channel, Day: Day(b.DateTime)))
            .Select(g => (g.Key.Channel, g.Select(b => Minute(b.DateTime)).Max(StringComparer.Ordinal)!, RankStatistics.Of(g.Key.Day, g.ToList())));

    /// <summary>q17: per auction and day, bids per rank and the minimum, maximum, average (BIGINT: the sum divided by
    /// the count, truncated) and sum of the prices.</summary>
    public static IEnumerable<(long Auction, string Day, long Total, long Rank1, long Rank2, long Rank3, long Min, long Max, long Avg, long Sum)> Q17(IEnumerable<Bid> bids) =>
        from b in bids
        group b by (b.Auction, Day: Day(b.DateTime)) into g
        let sum = g.Sum(b => b.Price)
        select (g.Key.Auction, g.Key.Day, (long)g.Count(), (long)g.Count(b => Rank(b.Price) == 1), (long)g.Count(b => Rank(b.Price) == 2),
            (long)g.Count(b => Rank(b.Price) == 3), g.Min(b => b.Price), g.Max(b => b.Price), sum / g.Count(), sum);

    /// <summary>q18, the last bid of each (bidder, auction): the candidates are the pair's bids at its latest
    /// <c>dateTime</c> (several when bids share that millisecond; SQL keeps one of them).</summary>
    public static IEnumerable<(long Bidder, long Auction, IReadOnlyList<Bid> Candidates)> Q18(IEnumerable<Bid> bids) =>
        from b in bids
        group b by (b.Bidder, b.Auction) into g
        let last = g.Max(b => b.DateTime)
        select (g.Key.Bidder, g.Key.Auction, (IReadOnlyList<Bid>)g.Where(b => b.DateTime == last).ToList());

    /// <summary>q19, the 10 highest bids of each auction: (auction, price, rank) for ranks 1 to min(10, bids), which
    /// equal prices do not make ambiguous; which of equally priced bids gets which rank is SQL's choice.</summary>
    public static IEnumerable<(long Auction, long Price, long Rank)> Q19(IEnumerable<Bid> bids) =>
        bids.GroupBy(b => b.Auction).SelectMany(g => g.Select(b => b.Price).OrderDescending().Take(10).Select((price, i) => (g.Key, price, (long)i + 1)));

    /// <summary>q20: each bid with its auction, for auctions in category 10.</summary>
    public static IEnumerable<(Bid Bid, Auction Auction)> Q20(IEnumerable<Auction> auctions, IEnumerable<Bid> bids) =>
        from b in bids
        join a in auctions.Where(a => a.Category == 10) on b.Auction equals a.Id
        select (b, a);

    /// <summary>q21: bids of the four hot channels (ids 0–3 by lower-case name) or whose url has a
    /// <c>channel_id</c> parameter (the id is its value).</summary>
    public static IEnumerable<(long Auction, long Bidder, long Price, string Channel, string ChannelId)> Q21(IEnumerable<Bid> bids)
    {
        foreach (var b in bids)
        {
            var match = ChannelIdPattern().Match(b.Url);
            string? id = b.Channel.ToLowerInvariant() switch
            {
                "apple" => "0",
                "google" => "1",
                "facebook" => "2",
                "baidu" => "3",
                _ => match.Success ? match.Groups[2].Value : null,
            };
            if (id is not null)
            {
                yield return (b.Auction, b.Bidder, b.Price, b.Channel, id);
            }
        }
    }

    /// <summary>q22: the url's fields 3, 4 and 5 when split at '/' (the three directories of
    /// <c>https://www.nexmark.com/a/b/c/item.htm...</c>), NULL past the last field.</summary>
    public static IEnumerable<(long Auction, long Bidder, long Price, string Channel, string? Dir1, string? Dir2, string? Dir3)> Q22(IEnumerable<Bid> bids) =>
        bids.Select(b =>
        {
            var parts = b.Url.Split('/');
            string? Part(int i) => i < parts.Length ? parts[i] : null;
            return (b.Auction, b.Bidder, b.Price, b.Channel, Part(3), Part(4), Part(5));
        });

    /// <summary>The price rank of q15–q17: 1 below 10,000, 2 below 1,000,000, else 3.</summary>
    public static int Rank(long price) => price < 10_000 ? 1 : price < 1_000_000 ? 2 : 3;

    public static string Day(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Minute(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex("(&|^)channel_id=([^&]*)")]
    private static partial Regex ChannelIdPattern();
}

/// <summary>q9's winner of <paramref name="Auction"/>: its price and time, and every bid with both.</summary>
public sealed record WinningBidCandidates(Auction Auction, long Price, long DateTime, IReadOnlyList<Bid> Tied);

/// <summary>q15's counts for one group: bids, distinct bidders and distinct auctions, in total and per price rank.</summary>
public sealed record RankStatistics(
    string Day, long TotalBids, long Rank1Bids, long Rank2Bids, long Rank3Bids,
    long TotalBidders, long Rank1Bidders, long Rank2Bidders, long Rank3Bidders,
    long TotalAuctions, long Rank1Auctions, long Rank2Auctions, long Rank3Auctions)
{
    public static RankStatistics Of(string day, IReadOnlyList<Bid> bids)
    {
        long Bids(int? rank) => bids.Count(b => rank is null || Reference.Rank(b.Price) == rank);
        long Distinct(Func<Bid, long> key, int? rank) => bids.Where(b => rank is null || Reference.Rank(b.Price) == rank).Select(key).Distinct().Count();
        return new RankStatistics(
            day, Bids(null), Bids(1), Bids(2), Bids(3),
            Distinct(b => b.Bidder, null), Distinct(b => b.Bidder, 1), Distinct(b => b.Bidder, 2), Distinct(b => b.Bidder, 3),
            Distinct(b => b.Auction, null), Distinct(b => b.Auction, 1), Distinct(b => b.Auction, 2), Distinct(b => b.Auction, 3));
    }
}
