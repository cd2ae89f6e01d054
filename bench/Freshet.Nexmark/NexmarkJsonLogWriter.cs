using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Freshet.Log;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark;

/// <summary>
/// Writes generated events into a Freshet.Log topic as JSON records of the SQL source table
/// <see cref="NexmarkSql.SourceTable"/>: <c>{"event_type": 0|1|2, "person": {...}|null, "auction": {...}|null,
/// "bid": {...}|null}</c> with the field names of the table's ROW types, TIMESTAMP(3) values as
/// <c>yyyy-MM-dd HH:mm:ss.SSS</c> in UTC (the json format's default 'SQL' standard). Event <c>n</c> goes to partition <c>n % partitions</c>
/// (so each partition is in event-time order), no key, record timestamp = event time, as <see cref="NexmarkLogWriter"/>.
/// Not thread-safe; one writer per topic.
/// </summary>
public static class NexmarkJsonLogWriter
{
    private const int RecordsPerBatch = 1000;

    private static readonly JsonEncodedText EventType = JsonEncodedText.Encode("event_type");
    private static readonly JsonEncodedText PersonField = JsonEncodedText.Encode("person");
    private static readonly JsonEncodedText AuctionField = JsonEncodedText.Encode("auction");
    private static readonly JsonEncodedText BidField = JsonEncodedText.Encode("bid");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText EmailAddress = JsonEncodedText.Encode("emailAddress");
    private static readonly JsonEncodedText CreditCard = JsonEncodedText.Encode("creditCard");
    private static readonly JsonEncodedText City = JsonEncodedText.Encode("city");
    private static readonly JsonEncodedText State = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText DateTimeField = JsonEncodedText.Encode("dateTime");
    private static readonly JsonEncodedText Extra = JsonEncodedText.Encode("extra");
    private static readonly JsonEncodedText ItemName = JsonEncodedText.Encode("itemName");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText InitialBid = JsonEncodedText.Encode("initialBid");
    private static readonly JsonEncodedText Reserve = JsonEncodedText.Encode("reserve");
    private static readonly JsonEncodedText Expires = JsonEncodedText.Encode("expires");
    private static readonly JsonEncodedText Seller = JsonEncodedText.Encode("seller");
    private static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText Auction = JsonEncodedText.Encode("auction");
    private static readonly JsonEncodedText Bidder = JsonEncodedText.Encode("bidder");
    private static readonly JsonEncodedText Price = JsonEncodedText.Encode("price");
    private static readonly JsonEncodedText Channel = JsonEncodedText.Encode("channel");
    private static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");

    /// <summary>
    /// Appends events <c>first .. first + count - 1</c> to <paramref name="topic"/> as JSON, creating it with
    /// <paramref name="partitions"/> partitions if it does not exist (an existing topic keeps its partition count).
    /// Returns the number of events written.
    /// </summary>
    public static long Write(LogStore store, string topic, NexmarkGenerator generator, long first, long count, int partitions = 1)
    {
        // One buffer and writer for every event of the call: only the record's own byte array is allocated per event.
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        return NexmarkLogWriter.Write(store, topic, generator, first, count, partitions, e =>
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            WriteEvent(json, e);
            json.Flush();
            return buffer.WrittenSpan.ToArray();
        });
    }

    /// <summary>The JSON record of <paramref name="e"/>, as <see cref="Write"/> writes it.</summary>
    public static byte[] Serialize(NexmarkEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteEvent(json, e);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter json, NexmarkEvent e)
    {
        json.WriteStartObject();
        json.WriteNumber(EventType, (int)e.Kind);
        if (e.Person is { } person)
        {
            json.WriteStartObject(PersonField);
            json.WriteNumber(Id, person.Id);
            json.WriteString(Name, person.Name);
            json.WriteString(EmailAddress, person.EmailAddress);
            json.WriteString(CreditCard, person.CreditCard);
            json.WriteString(City, person.City);
            json.WriteString(State, person.State);
            WriteTimestamp(json, DateTimeField, person.DateTime);
            json.WriteString(Extra, person.Extra);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(PersonField);
        }

        if (e.Auction is { } auction)
        {
            json.WriteStartObject(AuctionField);
            json.WriteNumber(Id, auction.Id);
            json.WriteString(ItemName, auction.ItemName);
            json.WriteString(Description, auction.Description);
            json.WriteNumber(InitialBid, auction.InitialBid);
            json.WriteNumber(Reserve, auction.Reserve);
            WriteTimestamp(json, DateTimeField, auction.DateTime);
            WriteTimestamp(json, Expires, auction.Expires);
            json.WriteNumber(Seller, auction.Seller);
            json.WriteNumber(Category, auction.Category);
            json.WriteString(Extra, auction.Extra);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(AuctionField);
        }

        if (e.Bid is { } bid)
        {
            json.WriteStartObject(BidField);
            json.WriteNumber(Auction, bid.Auction);
            json.WriteNumber(Bidder, bid.Bidder);
            json.WriteNumber(Price, bid.Price);
            json.WriteString(Channel, bid.Channel);
            json.WriteString(Url, bid.Url);
            WriteTimestamp(json, DateTimeField, bid.DateTime);
            json.WriteString(Extra, bid.Extra);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull(BidField);
        }

        json.WriteEndObject();
    }

    /// <summary>Writes <paramref name="epochMilliseconds"/> (UTC) as a TIMESTAMP(3) in the json format's 'SQL' standard.</summary>
    private static void WriteTimestamp(Utf8JsonWriter json, JsonEncodedText name, long epochMilliseconds)
    {
        Span<char> text = stackalloc char[23];
        var time = DateTime.UnixEpoch.AddMilliseconds(epochMilliseconds);
        if (!time.TryFormat(text, out var written, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"Event time {epochMilliseconds} ms does not format as a TIMESTAMP(3).");
        }

        json.WriteString(name, text[..written]);
    }
}
