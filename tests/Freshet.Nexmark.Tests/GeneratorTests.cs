using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark.Tests;

public sealed class GeneratorTests
{
    private const int Events = 200_000;
    private static readonly NexmarkGenerator Default = new();

    [Fact]
    public void Generate_SameSeed_SameEventsInAnyOrder()
    {
        var other = new NexmarkGenerator(new NexmarkConfig());
        var forwards = Enumerable.Range(5_000, 2_000).Select(n => Default.Generate(n).ToString()).ToList();
        var backwards = Enumerable.Range(5_000, 2_000).Reverse().Select(n => other.Generate(n).ToString()).Reverse().ToList();
        Assert.Equal(forwards, backwards);
    }

    [Fact]
    public void Generate_OtherSeed_OtherEvents()
    {
        var other = new NexmarkGenerator(new NexmarkConfig { Seed = 42 });
        var differing = Enumerable.Range(0, 1_000).Count(n => other.Generate(n).ToString() != Default.Generate(n).ToString());
        Assert.True(differing > 990, $"only {differing} of 1000 events differ");
    }

    [Fact]
    public void Generate_Kinds_FollowTheProportionsExactly()
    {
        var counts = new int[3];
        for (long n = 0; n < Events; n++)
        {
            var e = Default.Generate(n);
            counts[(int)e.Kind]++;
            Assert.Equal(Default.KindOf(n), e.Kind);
            Assert.Equal((n % 50) switch { 0 => EventKind.Person, < 4 => EventKind.Auction, _ => EventKind.Bid }, e.Kind);
        }

        Assert.Equal(Events / 50, counts[(int)EventKind.Person]);
        Assert.Equal(Events / 50 * 3, counts[(int)EventKind.Auction]);
        Assert.Equal(Events / 50 * 46, counts[(int)EventKind.Bid]);
    }

    [Fact]
    public void Generate_Ids_AreConsecutiveAndTimesSpacedByTheRate()
    {
        long nextPerson = NexmarkGenerator.FirstPersonId, nextAuction = NexmarkGenerator.FirstAuctionId;
        for (long n = 0; n < Events; n++)
        {
            var e = Default.Generate(n);
            Assert.Equal(new NexmarkConfig().BaseTimeMs + (n / 10), e.DateTime);
            if (e.Person is { } p)
            {
                Assert.Equal(nextPerson++, p.Id);
            }
            else if (e.Auction is { } a)
            {
                Assert.Equal(nextAuction++, a.Id);
                Assert.True(a.Expires > a.DateTime);
                Assert.True(a.Reserve > a.InitialBid);
                Assert.InRange(a.Category, 10, 14);
                Assert.InRange(a.Seller, NexmarkGenerator.FirstPersonId, nextPerson - 1 + 10);
            }
            else
            {
                var b = e.Bid!;
                // Bids go to one of the last 100 auctions or up to 10 ahead of the last one.
                Assert.InRange(b.Auction, Math.Max(NexmarkGenerator.FirstAuctionId, nextAuction - 1 - 100), nextAuction - 1 + 10);
                Assert.InRange(b.Bidder, Math.Max(NexmarkGenerator.FirstPersonId, nextPerson - 1 - 1000), nextPerson - 1 + 10);
            }
        }
    }

    [Fact]
    public void Generate_HotRatios_MatchTheConfiguration()
    {
        long bids = 0, hotAuctionBids = 0, hotBidderBids = 0, auctions = 0, hotSellerAuctions = 0;
        for (long n = 0; n < Events; n++)
        {
            var e = Default.Generate(n);
            var hotPerson = (Default.LastBase0PersonId(n) / 100 * 100) + NexmarkGenerator.FirstPersonId;
            if (e.Bid is { } b)
            {
                bids++;
                hotAuctionBids += b.Auction == (Default.LastBase0AuctionId(n) / 100 * 100) + NexmarkGenerator.FirstAuctionId ? 1 : 0;
                hotBidderBids += b.Bidder == hotPerson + 1 ? 1 : 0;
            }
            else if (e.Auction is { } a)
            {
                auctions++;
                hotSellerAuctions += a.Seller == hotPerson ? 1 : 0;
            }
        }

        // Hot with probability 1 - 1/ratio, plus the rare random pick of the hot id itself.
        Assert.InRange((double)hotAuctionBids / bids, 0.49, 0.52);
        Assert.InRange((double)hotBidderBids / bids, 0.74, 0.76);
        Assert.InRange((double)hotSellerAuctions / auctions, 0.73, 0.77);
    }

    [Fact]
    public void Generate_Sizes_AverageTheConfiguredBytes()
    {
        double person = 0, auction = 0, bid = 0;
        long persons = 0, auctions = 0, bids = 0;
        for (long n = 0; n < Events; n++)
        {
            var e = Default.Generate(n);
            switch (e.Kind)
            {
                case EventKind.Person:
                    var p = e.Person!;
                    person += 8 + p.Name.Length + p.EmailAddress.Length + p.CreditCard.Length + p.City.Length + p.State.Length + p.Extra.Length;
                    persons++;
                    break;
                case EventKind.Auction:
                    var a = e.Auction!;
                    auction += 8 + a.ItemName.Length + a.Description.Length + 40 + a.Extra.Length;
                    auctions++;
                    break;
                default:
                    bid += 32 + e.Bid!.Extra.Length;
                    bids++;
                    break;
            }
        }

        Assert.InRange(person / persons, 196, 204);
        Assert.InRange(auction / auctions, 490, 510);
        Assert.InRange(bid / bids, 98, 102);
    }

    [Fact]
    public void Generate_Prices_AreLogUniformBetweenOneAndAMillionDollars()
    {
        var logs = new List<double>();
        for (long n = 0; n < Events; n++)
        {
            if (Default.Generate(n).Bid is { } b)
            {
                Assert.InRange(b.Price, 100, 100_000_000);
                logs.Add(Math.Log10(b.Price / 100.0));
            }
        }

        // log10(price in dollars) is uniform on [0, 6): mean 3, a sixth of the values in each decade.
        Assert.InRange(logs.Average(), 2.97, 3.03);
        for (var decade = 0; decade < 6; decade++)
        {
            var share = (double)logs.Count(l => l >= decade && l < decade + 1) / logs.Count;
            Assert.InRange(share, (1 / 6.0) - 0.01, (1 / 6.0) + 0.01);
        }
    }

    [Fact]
    public void Constructor_InvalidConfig_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() => new NexmarkGenerator(new NexmarkConfig { BidProportion = 0 }));
        Assert.Contains("BidProportion", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new NexmarkGenerator(new NexmarkConfig { EventTimeRatePerSecond = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.Generate(-1));
    }

    [Fact]
    public void Generate_OtherProportionsAndRate_AreHonoured()
    {
        var generator = new NexmarkGenerator(new NexmarkConfig { PersonProportion = 2, AuctionProportion = 2, BidProportion = 6, EventTimeRatePerSecond = 1_000, BaseTimeMs = 0 });
        var kinds = Enumerable.Range(0, 10).Select(n => generator.Generate(n).Kind).ToArray();
        Assert.Equal([EventKind.Person, EventKind.Person, EventKind.Auction, EventKind.Auction, EventKind.Bid, EventKind.Bid, EventKind.Bid, EventKind.Bid, EventKind.Bid, EventKind.Bid], kinds);
        Assert.Equal(12_345, generator.Generate(12_345).DateTime);
        Assert.Equal(1002, generator.Generate(10).Person!.Id);
        Assert.Equal(1003, generator.Generate(11).Person!.Id);
    }
}
