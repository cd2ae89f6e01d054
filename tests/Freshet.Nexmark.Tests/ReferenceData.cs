using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark.Tests;

/// <summary>A bid without its padding, so that a million events fit in little memory.</summary>
public readonly record struct BidRow(long Auction, long Bidder, long Price, long DateTime);

/// <summary>
/// The events of a bounded run, generated once per test class in event-number (hence time) order, for the LINQ
/// reference computations.
/// </summary>
public sealed class ReferenceData
{
    public const long Events = 1_000_000;

    public ReferenceData()
        : this(Events)
    {
    }

    /// <summary>The first <paramref name="events"/> events (for fixtures that need fewer than <see cref="Events"/>).</summary>
    internal ReferenceData(long events)
    {
        for (long n = 0; n < events; n++)
        {
            var e = Generator.Generate(n);
            switch (e.Kind)
            {
                case EventKind.Person:
                    Persons.Add(e.Person! with { Extra = string.Empty, EmailAddress = string.Empty, CreditCard = string.Empty });
                    break;
                case EventKind.Auction:
                    Auctions.Add(e.Auction! with { Extra = string.Empty, Description = string.Empty, ItemName = string.Empty });
                    break;
                default:
                    var b = e.Bid!;
                    Bids.Add(new BidRow(b.Auction, b.Bidder, b.Price, b.DateTime));
                    break;
            }
        }
    }

    public NexmarkGenerator Generator { get; } = new(new NexmarkConfig { Seed = 2026 });

    public List<Person> Persons { get; } = [];

    public List<Auction> Auctions { get; } = [];

    public List<BidRow> Bids { get; } = [];
}
