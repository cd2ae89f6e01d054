namespace Freshet.Nexmark.Model;

/// <summary>A bid (the nexmark <c>bid</c> table). Prices are in cents; times are Unix milliseconds.</summary>
/// <param name="Auction">Auction id (may name an auction that is not created yet or has closed, as in nexmark).</param>
/// <param name="Bidder">Person id of the bidder.</param>
/// <param name="Price">Bid price in cents.</param>
/// <param name="DateTime">Event time.</param>
/// <param name="Extra">Padding that brings the average bid to about 100 bytes.</param>
public sealed record Bid(long Auction, long Bidder, long Price, long DateTime, string Extra);
