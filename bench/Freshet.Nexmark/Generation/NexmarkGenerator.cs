using System.Text;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark.Generation;

/// <summary>
/// The nexmark event generator (the model of the nexmark benchmark's generator, itself Apache Beam's): event
/// <c>n</c> is a person, an auction or a bid by <c>n % TotalProportion</c> (1 : 3 : 46), ids grow with the event number,
/// random bidders, sellers and auctions are drawn from recent windows (<see cref="NexmarkConfig.NumActivePeople"/>,
/// <see cref="NexmarkConfig.NumInFlightAuctions"/>) or are "hot" ones, prices are <c>round(10^(6u) * 100)</c> cents
/// for uniform <c>u</c>, a bid's channel and url come from four hot channels or 10,000 others (as nexmark's), and an
/// <c>extra</c> string pads events to the configured average sizes.
/// <para>
/// <see cref="Generate"/> is a pure function of the configuration and the event number: any range of events can be
/// generated independently and in parallel, and a source's position is just the next event number. The random
/// numbers come from a SplitMix64 sequence per event, not Java's <c>Random</c>, so the events have the same
/// distributions as nexmark's but are not byte-identical to them. Thread-safe.
/// </para>
/// </summary>
public sealed class NexmarkGenerator
{
    /// <summary>Id of the first person.</summary>
    public const long FirstPersonId = 1000;

    /// <summary>Id of the first auction.</summary>
    public const long FirstAuctionId = 1000;

    /// <summary>Id of the first category; categories are <c>FirstCategoryId .. FirstCategoryId + 4</c>.</summary>
    public const long FirstCategoryId = 10;

    /// <summary>Number of categories.</summary>
    public const int CategoryCount = 5;

    /// <summary>Hot sellers, bidders and auctions are the first of each block of this many ids.</summary>
    public const int HotIdBlock = 100;

    // Random person and auction ids may run this far ahead of the last one created (as in nexmark).
    private const int PersonIdLead = 10;
    private const int AuctionIdLead = 10;
    private const int MinStringLength = 3;

    private static readonly string[] FirstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"];
    private static readonly string[] LastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"];
    private static readonly string[] UsStates = ["AZ", "CA", "ID", "OR", "WA", "WY"];
    // Bid channels and urls as nexmark's BidGenerator: half the bids come through one of four hot channels, the others
    // through one of ChannelCount channels "channel-N" whose urls mostly carry "&channel_id=" and N's bits reversed.
    // The urls are drawn once from a fixed seed (nexmark draws them from an unseeded random at class load).
    private const int HotChannelsRatio = 2;
    private const int ChannelCount = 10_000;
    private const long UrlSeed = 0x6e65786d61726b;
    private static readonly string[] HotChannels = ["Google", "Facebook", "Baidu", "Apple"];
    private static readonly string[] HotUrls = [.. Enumerable.Range(0, HotChannels.Length).Select(HotUrl)];
    private static readonly (string Channel, string Url)[] Channels = [.. Enumerable.Range(0, ChannelCount).Select(ChannelAndUrl)];

    private static readonly string[] UsCities = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"];

    private readonly double _interEventDelayUs;

    /// <summary>Creates a generator; throws <see cref="ArgumentException"/> for an invalid configuration.</summary>
    public NexmarkGenerator(NexmarkConfig? config = null)
    {
        Config = config ?? new NexmarkConfig();
        Config.Validate();
        _interEventDelayUs = 1_000_000.0 / Config.EventTimeRatePerSecond;
    }

    /// <summary>The configuration.</summary>
    public NexmarkConfig Config { get; }

    /// <summary>Kind of event <paramref name="eventNumber"/>, without generating it.</summary>
    public EventKind KindOf(long eventNumber)
    {
        var offset = eventNumber % Config.TotalProportion;
        return offset < Config.PersonProportion ? EventKind.Person
            : offset < Config.PersonProportion + Config.AuctionProportion ? EventKind.Auction
            : EventKind.Bid;
    }

    /// <summary>Event time of event <paramref name="eventNumber"/>, Unix milliseconds (non-decreasing in the number).</summary>
    public long TimestampOf(long eventNumber) => Config.BaseTimeMs + ((long)(eventNumber * _interEventDelayUs) / 1000);

    /// <summary>Event <paramref name="eventNumber"/> (&gt;= 0).</summary>
    public NexmarkEvent Generate(long eventNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventNumber);
        var random = new EventRandom(Config.Seed, eventNumber);
        var timestamp = TimestampOf(eventNumber);
        return KindOf(eventNumber) switch
        {
            EventKind.Person => NexmarkEvent.Of(NextPerson(eventNumber, ref random, timestamp)),
            EventKind.Auction => NexmarkEvent.Of(NextAuction(eventNumber, ref random, timestamp)),
            _ => NexmarkEvent.Of(NextBid(eventNumber, ref random, timestamp)),
        };
    }

    /// <summary>Base-0 id of the last person created at or before event <paramref name="eventNumber"/>.</summary>
    public long LastBase0PersonId(long eventNumber)
    {
        var epoch = eventNumber / Config.TotalProportion;
        var offset = eventNumber % Config.TotalProportion;
        if (offset >= Config.PersonProportion)
        {
            offset = Config.PersonProportion - 1;
        }

        return (epoch * Config.PersonProportion) + offset;
    }

    /// <summary>
    /// Base-0 id of the last auction created at or before event <paramref name="eventNumber"/> (-1 before the first
    /// auction).
    /// </summary>
    public long LastBase0AuctionId(long eventNumber)
    {
        var epoch = eventNumber / Config.TotalProportion;
        var offset = eventNumber % Config.TotalProportion;
        if (offset < Config.PersonProportion)
        {
            epoch--;
            offset = Config.AuctionProportion - 1;
        }
        else if (offset >= Config.PersonProportion + Config.AuctionProportion)
        {
            offset = Config.AuctionProportion - 1;
        }
        else
        {
            offset -= Config.PersonProportion;
        }

        return (epoch * Config.AuctionProportion) + offset;
    }

    private Person NextPerson(long eventNumber, ref EventRandom random, long timestamp)
    {
        var id = LastBase0PersonId(eventNumber) + FirstPersonId;
        var name = FirstNames[random.NextInt(FirstNames.Length)] + " " + LastNames[random.NextInt(LastNames.Length)];
        var email = NextString(ref random, 7) + "@" + NextString(ref random, 5) + ".com";
        var creditCard = NextCreditCard(ref random);
        var city = UsCities[random.NextInt(UsCities.Length)];
        var state = UsStates[random.NextInt(UsStates.Length)];
        var size = 8 + name.Length + email.Length + creditCard.Length + city.Length + state.Length;
        var extra = NextExtra(ref random, size, Config.AvgPersonByteSize);
        return new Person(id, name, email, creditCard, city, state, timestamp, extra);
    }

    private Auction NextAuction(long eventNumber, ref EventRandom random, long timestamp)
    {
        var id = LastBase0AuctionId(eventNumber) + FirstAuctionId;
        var seller = random.NextInt(Config.HotSellersRatio) > 0
            ? LastBase0PersonId(eventNumber) / HotIdBlock * HotIdBlock
            : NextBase0PersonId(eventNumber, ref random);
        seller += FirstPersonId;
        var category = FirstCategoryId + random.NextInt(CategoryCount);
        var initialBid = NextPrice(ref random);
        var expires = timestamp + NextAuctionLengthMs(eventNumber, ref random, timestamp);
        var itemName = NextString(ref random, 20);
        var description = NextString(ref random, 100);
        var reserve = initialBid + NextPrice(ref random);
        var size = 8 + itemName.Length + description.Length + (5 * 8);
        var extra = NextExtra(ref random, size, Config.AvgAuctionByteSize);
        return new Auction(id, itemName, description, initialBid, reserve, timestamp, expires, seller, category, extra);
    }

    private Bid NextBid(long eventNumber, ref EventRandom random, long timestamp)
    {
        var auction = random.NextInt(Config.HotAuctionRatio) > 0
            ? LastBase0AuctionId(eventNumber) / HotIdBlock * HotIdBlock
            : NextBase0AuctionId(eventNumber, ref random);
        auction += FirstAuctionId;

        // The second person of a block, so that hot bidders and hot sellers differ.
        var bidder = random.NextInt(Config.HotBiddersRatio) > 0
            ? (LastBase0PersonId(eventNumber) / HotIdBlock * HotIdBlock) + 1
            : NextBase0PersonId(eventNumber, ref random);
        bidder += FirstPersonId;
        var price = NextPrice(ref random);
        var extra = NextExtra(ref random, 4 * 8, Config.AvgBidByteSize);

        // Drawn after the other fields (nexmark draws them before extra) so that those are what they were before bids
        // had channels.
        string channel, url;
        if (random.NextInt(HotChannelsRatio) > 0)
        {
            var hot = random.NextInt(HotChannels.Length);
            (channel, url) = (HotChannels[hot], HotUrls[hot]);
        }
        else
        {
            (channel, url) = Channels[random.NextInt(ChannelCount)];
        }

        return new Bid(auction, bidder, price, channel, url, timestamp, extra);
    }

    /// <summary>Channel <c>channel-N</c> and its url: nine in ten carry <c>&amp;channel_id=</c> with Java's
    /// <c>Math.abs(Integer.reverse(N))</c>, as nexmark (so channel 1's id is -2147483648).</summary>
    private static (string Channel, string Url) ChannelAndUrl(int n)
    {
        var random = new EventRandom(UrlSeed, n);
        var url = BaseUrl(ref random);
        if (random.NextInt(10) > 0)
        {
            var reversed = (int)ReverseBits((uint)n);
            var id = reversed == int.MinValue ? reversed : Math.Abs(reversed);
            url += "&channel_id=" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ("channel-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), url);
    }

    private static uint ReverseBits(uint value)
    {
        uint result = 0;
        for (var i = 0; i < 32; i++)
        {
            result = (result << 1) | ((value >> i) & 1);
        }

        return result;
    }

    private static string HotUrl(int hot)
    {
        var random = new EventRandom(UrlSeed, -1 - hot);
        return BaseUrl(ref random);
    }

    /// <summary>A url with three random directories of 3 or 4 letters and underscores, as nexmark's getBaseUrl.</summary>
    private static string BaseUrl(ref EventRandom random) => "https://www.nexmark.com/" + NextDirectory(ref random) + "/" + NextDirectory(ref random) + "/" + NextDirectory(ref random) + "/item.htm?query=1";

    private static string NextDirectory(ref EventRandom random)
    {
        var length = MinStringLength + random.NextInt(5 - MinStringLength);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.NextInt(13) == 0 ? '_' : (char)('a' + random.NextInt(26));
        }

        return new string(chars);
    }

    /// <summary>A random recent person id: one of the last <c>NumActivePeople</c> or up to <c>PersonIdLead</c> ahead.</summary>
    private long NextBase0PersonId(long eventNumber, ref EventRandom random)
    {
        var people = LastBase0PersonId(eventNumber) + 1;
        var active = Math.Min(people, Config.NumActivePeople);
        return people - active + random.NextLong(active + PersonIdLead);
    }

    /// <summary>A random in-flight auction id: one of the last <c>NumInFlightAuctions</c> or up to <c>AuctionIdLead</c> ahead.</summary>
    private long NextBase0AuctionId(long eventNumber, ref EventRandom random)
    {
        var last = LastBase0AuctionId(eventNumber);
        var min = Math.Max(last - Config.NumInFlightAuctions, 0);
        return min + random.NextLong(last - min + 1 + AuctionIdLead);
    }

    /// <summary>
    /// Auction length, uniform in [1, 2 * horizon] where the horizon is the event time until
    /// <c>NumInFlightAuctions</c> more auctions have been created: on average that many auctions are open.
    /// </summary>
    private long NextAuctionLengthMs(long eventNumber, ref EventRandom random, long timestamp)
    {
        var eventsForAuctions = (long)Config.NumInFlightAuctions * Config.TotalProportion / Config.AuctionProportion;
        var horizonMs = TimestampOf(eventNumber + eventsForAuctions) - timestamp;
        return 1 + random.NextLong(Math.Max(horizonMs * 2, 1));
    }

    /// <summary>Price in cents, log-uniform between 1 dollar and 1,000,000 dollars.</summary>
    private static long NextPrice(ref EventRandom random) => (long)Math.Round(Math.Pow(10.0, random.NextDouble() * 6.0) * 100.0);

    /// <summary>Lowercase letters and spaces, 3 to <paramref name="maxLength"/> - 1 characters before trimming.</summary>
    private static string NextString(ref EventRandom random, int maxLength)
    {
        var length = MinStringLength + random.NextInt(maxLength - MinStringLength);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.NextInt(13) == 0 ? ' ' : (char)('a' + random.NextInt(26));
        }

        return new string(chars.Trim(' '));
    }

    private static string NextExactString(ref EventRandom random, int length)
    {
        if (length <= 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append((char)('a' + random.NextInt(26)));
        }

        return builder.ToString();
    }

    /// <summary>Padding of <c>average - currentSize</c> ± 20% characters (uniform), empty when already large enough.</summary>
    private static string NextExtra(ref EventRandom random, int currentSize, int desiredAverageSize)
    {
        if (currentSize > desiredAverageSize)
        {
            return string.Empty;
        }

        var remaining = desiredAverageSize - currentSize;
        var delta = (int)Math.Round(remaining * 0.2);
        var size = remaining - delta + (delta == 0 ? 0 : random.NextInt(2 * delta));
        return NextExactString(ref random, size);
    }

    private static string NextCreditCard(ref EventRandom random)
    {
        Span<char> digits = stackalloc char[19];
        for (var group = 0; group < 4; group++)
        {
            var value = random.NextInt(10_000);
            for (var d = 3; d >= 0; d--)
            {
                digits[(group * 5) + d] = (char)('0' + (value % 10));
                value /= 10;
            }

            if (group < 3)
            {
                digits[(group * 5) + 4] = ' ';
            }
        }

        return new string(digits);
    }
}
