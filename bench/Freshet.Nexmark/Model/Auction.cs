namespace Freshet.Nexmark.Model;

/// <summary>An auction opening (the nexmark <c>auction</c> table). Prices are in cents; times are Unix milliseconds.</summary>
/// <param name="Id">Unique auction id, from 1000 upwards in creation order.</param>
/// <param name="ItemName">Random item name.</param>
/// <param name="Description">Random description.</param>
/// <param name="InitialBid">Starting price.</param>
/// <param name="Reserve">Reserve price (above the initial bid).</param>
/// <param name="DateTime">Event time: when the auction opens.</param>
/// <param name="Expires">When the auction closes (after <paramref name="DateTime"/>).</param>
/// <param name="Seller">Person id of the seller.</param>
/// <param name="Category">Category id, 10 to 14.</param>
/// <param name="Extra">Padding that brings the average auction to about 500 bytes.</param>
public sealed record Auction(long Id, string ItemName, string Description, long InitialBid, long Reserve, long DateTime, long Expires, long Seller, long Category, string Extra);
