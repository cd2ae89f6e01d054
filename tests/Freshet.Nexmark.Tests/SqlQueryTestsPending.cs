using Freshet.Nexmark.Model;

namespace Freshet.Nexmark.Tests;

// Not compiled yet (<Compile Remove> in the project): these queries need ROW_NUMBER Top-N and deduplication (q9,
// q18, q19), the SESSION window table function (q11) and processing-time temporal joins with a bounded file table
// (q13), which other branches build. Remove the exclusion once they are merged; the tests are as they should then run.
public sealed partial class SqlQueryTests
{
    /// <summary>
    /// One row per auction with valid bids: its columns, then the winning bid's. The winner's price and time are
    /// determined; among bids equal on both, SQL may keep any, so the bid's other columns must be one of them.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Q9_WinningBids_MatchesLinq(int parallelism)
    {
        var expected = NonEmpty(Reference.Q9(data.Auctions, data.Bids)).ToDictionary(w => w.Auction.Id);
        var rows = await RunAsync("q9", parallelism);
        Multiset.AssertEqual(
            expected.Values.Select(w => (w.Auction, w.Price, w.DateTime)),
            rows.Select(r => (
                new Auction((long)r[0]!, (string)r[1]!, (string)r[2]!, (long)r[3]!, (long)r[4]!, Millis(r[5]), Millis(r[6]), (long)r[7]!, (long)r[8]!, (string)r[9]!),
                (long)r[12]!,
                Millis(r[13]))));
        Assert.All(rows, r =>
        {
            Assert.Equal((long)r[0]!, (long)r[10]!);
            Assert.Contains(((long)r[11]!, (string)r[14]!), expected[(long)r[0]!].Tied.Select(b => (b.Bidder, b.Extra)));
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Q11_UserSessions_MatchesLinq(int parallelism) =>
        Multiset.AssertEqual(
            NonEmpty(Reference.Q11(data.Bids)),
            (await RunAsync("q11", parallelism)).Select(r => ((long)r[0]!, (long)r[1]!, Millis(r[2]), Millis(r[3]))));

    /// <summary>The side input is bounded and read whole before it is joined (a processing-time temporal join with a
    /// bounded table is a lookup into its final content), so every bid finds <c>auction % 10000</c>.</summary>
    [Fact]
    public async Task Q13_BoundedSideInputJoin_MatchesLinq() =>
        Multiset.AssertEqual(
            NonEmpty(Reference.Q13(data.Bids)),
            (await RunAsync("q13")).Select(r => ((long)r[0]!, (long)r[1]!, (long)r[2]!, Millis(r[3]), (string)r[4]!)));

    /// <summary>One row per (bidder, auction), its latest bid; among bids at that same millisecond SQL may keep any.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Q18_LastBidPerBidderAndAuction_MatchesLinq(int parallelism)
    {
        var expected = NonEmpty(Reference.Q18(data.Bids)).ToDictionary(e => (e.Bidder, e.Auction), e => e.Candidates);
        var rows = await RunAsync("q18", parallelism);
        var actual = rows.Select(r => new Bid((long)r[0]!, (long)r[1]!, (long)r[2]!, (string)r[3]!, (string)r[4]!, Millis(r[5]), (string)r[6]!)).ToList();
        Multiset.AssertEqual(expected.Keys, actual.Select(b => (b.Bidder, b.Auction)));
        Assert.All(actual, b => Assert.Contains(b, expected[(b.Bidder, b.Auction)]));
    }

    /// <summary>Up to 10 rows per auction with ranks 1..n and the n highest prices in order; each row is one of the
    /// auction's bids, and no bid twice.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Q19_Top10BidsPerAuction_MatchesLinq(int parallelism)
    {
        var rows = await RunAsync("q19", parallelism);
        var actual = rows.Select(r => (Bid: new Bid((long)r[0]!, (long)r[1]!, (long)r[2]!, (string)r[3]!, (string)r[4]!, Millis(r[5]), (string)r[6]!), Rank: (long)r[7]!)).ToList();
        Multiset.AssertEqual(NonEmpty(Reference.Q19(data.Bids)), actual.Select(a => (a.Bid.Auction, a.Bid.Price, a.Rank)));
        var bids = data.Bids.GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(actual.GroupBy(a => a.Bid), g => Assert.True(bids.GetValueOrDefault(g.Key) >= g.Count(), $"{g.Key} is not a bid, or not that often"));
    }
}
