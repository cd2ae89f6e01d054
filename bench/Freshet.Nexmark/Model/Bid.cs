namespace Freshet.Nexmark.Model;

/// <summary>A bid (the nexmark <c>bid</c> table). Prices are in cents; times are Unix milliseconds.</summary>
/// <param name="Auction">Auction id (may name an auction that is not created yet or has closed, as in nexmark).</param>
/// <param name="Bidder">Person id of the bidder.</param>
/// <param name="Price">Bid price in cents.</param>
/// <param name="Channel">The channel the bid came through: one of four hot channels ("Google", "Facebook", "Baidu",
/// "Apple") or <c>channel-N</c>.</param>
/// <param name="Url">The bid's url: <c>https://www.nexmark.com/a/b/c/item.htm?query=1</c>, for most
/// <c>channel-N</c> channels followed by <c>&amp;channel_id=M</c>.</param>
/// <param name="DateTime">Event time.</param>
/// <param name="Extra">Padding that brings the average bid to about 100 bytes.</param>
public sealed record Bid(long Auction, long Bidder, long Price, string Channel, string Url, long DateTime, string Extra);
