namespace Freshet.Nexmark.Model;

/// <summary>
/// One event of the single nexmark stream: exactly one of <see cref="Person"/>, <see cref="Auction"/> and
/// <see cref="Bid"/> is set, as <see cref="Kind"/> says (Flink's nexmark source emits the same union row).
/// </summary>
public sealed class NexmarkEvent
{
    private NexmarkEvent(EventKind kind, Person? person, Auction? auction, Bid? bid, long dateTime)
    {
        Kind = kind;
        Person = person;
        Auction = auction;
        Bid = bid;
        DateTime = dateTime;
    }

    /// <summary>Which of the three payloads is set.</summary>
    public EventKind Kind { get; }

    /// <summary>The person, when <see cref="Kind"/> is <see cref="EventKind.Person"/>.</summary>
    public Person? Person { get; }

    /// <summary>The auction, when <see cref="Kind"/> is <see cref="EventKind.Auction"/>.</summary>
    public Auction? Auction { get; }

    /// <summary>The bid, when <see cref="Kind"/> is <see cref="EventKind.Bid"/>.</summary>
    public Bid? Bid { get; }

    /// <summary>Event time of the payload, Unix milliseconds.</summary>
    public long DateTime { get; }

    /// <summary>Wraps a person.</summary>
    public static NexmarkEvent Of(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(EventKind.Person, person, null, null, person.DateTime);
    }

    /// <summary>Wraps an auction.</summary>
    public static NexmarkEvent Of(Auction auction)
    {
        ArgumentNullException.ThrowIfNull(auction);
        return new(EventKind.Auction, null, auction, null, auction.DateTime);
    }

    /// <summary>Wraps a bid.</summary>
    public static NexmarkEvent Of(Bid bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return new(EventKind.Bid, null, null, bid, bid.DateTime);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        EventKind.Person => Person!.ToString(),
        EventKind.Auction => Auction!.ToString(),
        _ => Bid!.ToString(),
    };
}
