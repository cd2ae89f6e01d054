namespace Freshet.Nexmark.Model;

/// <summary>What a <see cref="NexmarkEvent"/> carries.</summary>
public enum EventKind : byte
{
    /// <summary>A new person (user) registers.</summary>
    Person = 0,

    /// <summary>A person opens an auction.</summary>
    Auction = 1,

    /// <summary>A person bids on an auction.</summary>
    Bid = 2,
}
