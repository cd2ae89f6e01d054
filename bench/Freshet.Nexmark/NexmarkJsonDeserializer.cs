using System.Text.Json;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark;

/// <summary>
/// Reads the JSON records that <see cref="NexmarkJsonLogWriter"/> writes back into <see cref="NexmarkEvent"/>s, as a
/// DataStream job that reads the SQL source table's topic would: one forward pass of a <see cref="Utf8JsonReader"/>,
/// no document tree, fields matched by name in any order, unknown fields skipped. TIMESTAMP(3) text
/// (<c>yyyy-MM-dd HH:mm:ss.SSS</c>, UTC) becomes Unix milliseconds. The nexmark bench uses it for the DataStream side
/// of its SQL comparison, so that both sides read and decode the same bytes. Stateless; thread-safe.
/// </summary>
public static class NexmarkJsonDeserializer
{
    /// <summary>The event <paramref name="json"/> holds.</summary>
    /// <exception cref="FormatException">The bytes are not a record of <see cref="NexmarkJsonLogWriter"/>'s form.</exception>
    public static NexmarkEvent Deserialize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject);
            var kind = -1;
            NexmarkEvent? result = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event_type"u8))
                {
                    Next(ref reader);
                    kind = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("person"u8))
                {
                    result = Next(ref reader) == JsonTokenType.Null ? result : NexmarkEvent.Of(ReadPerson(ref reader));
                }
                else if (reader.ValueTextEquals("auction"u8))
                {
                    result = Next(ref reader) == JsonTokenType.Null ? result : NexmarkEvent.Of(ReadAuction(ref reader));
                }
                else if (reader.ValueTextEquals("bid"u8))
                {
                    result = Next(ref reader) == JsonTokenType.Null ? result : NexmarkEvent.Of(ReadBid(ref reader));
                }
                else
                {
                    reader.Skip();
                }
            }

            return result is not null && (int)result.Kind == kind
                ? result
                : throw new FormatException($"The record's event_type {kind} does not name the one event it holds.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a nexmark JSON record: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"Not a nexmark JSON record: {e.Message}", e);
        }
    }

    private static Person ReadPerson(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        long id = 0, dateTime = 0;
        string name = "", email = "", creditCard = "", city = "", state = "", extra = "";
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                name = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("emailAddress"u8))
            {
                email = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("creditCard"u8))
            {
                creditCard = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("city"u8))
            {
                city = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("state"u8))
            {
                state = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("dateTime"u8))
            {
                dateTime = NextTimestamp(ref reader);
            }
            else if (reader.ValueTextEquals("extra"u8))
            {
                extra = NextString(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new Person(id, name, email, creditCard, city, state, dateTime, extra);
    }

    private static Auction ReadAuction(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        long id = 0, initialBid = 0, reserve = 0, dateTime = 0, expires = 0, seller = 0, category = 0;
        string itemName = "", description = "", extra = "";
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("itemName"u8))
            {
                itemName = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                description = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("initialBid"u8))
            {
                initialBid = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("reserve"u8))
            {
                reserve = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("dateTime"u8))
            {
                dateTime = NextTimestamp(ref reader);
            }
            else if (reader.ValueTextEquals("expires"u8))
            {
                expires = NextTimestamp(ref reader);
            }
            else if (reader.ValueTextEquals("seller"u8))
            {
                seller = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("category"u8))
            {
                category = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("extra"u8))
            {
                extra = NextString(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new Auction(id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra);
    }

    private static Bid ReadBid(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, advance: false);
        long auction = 0, bidder = 0, price = 0, dateTime = 0;
        string channel = "", url = "", extra = "";
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("auction"u8))
            {
                auction = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("bidder"u8))
            {
                bidder = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                price = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("dateTime"u8))
            {
                dateTime = NextTimestamp(ref reader);
            }
            else if (reader.ValueTextEquals("channel"u8))
            {
                channel = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("url"u8))
            {
                url = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("extra"u8))
            {
                extra = NextString(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new Bid(auction, bidder, price, channel, url, dateTime, extra);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("The JSON record ends early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool advance = true)
    {
        if ((advance ? Next(ref reader) : reader.TokenType) != type)
        {
            throw new FormatException($"Expected {type} but found {reader.TokenType} at byte {reader.TokenStartIndex}.");
        }
    }

    private static long NextInt64(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.GetInt64();
    }

    private static string NextString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.GetString() ?? throw new FormatException($"Unexpected null at byte {reader.TokenStartIndex}.");
    }

    /// <summary>Unix milliseconds of the next value, a <c>yyyy-MM-dd HH:mm:ss.SSS</c> string read as UTC.</summary>
    private static long NextTimestamp(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length != 23)
        {
            throw new FormatException($"Expected a timestamp 'yyyy-MM-dd HH:mm:ss.SSS' at byte {reader.TokenStartIndex}.");
        }

        var text = reader.ValueSpan;
        if (text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':' || text[19] != '.')
        {
            throw new FormatException($"Expected a timestamp 'yyyy-MM-dd HH:mm:ss.SSS' at byte {reader.TokenStartIndex}.");
        }

        var date = new DateOnly(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
        var days = date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        var millisOfDay = (((Digits(text, 11, 2) * 60L) + Digits(text, 14, 2)) * 60L + Digits(text, 17, 2)) * 1000L + Digits(text, 20, 3);
        return (days * 86_400_000L) + millisOfDay;
    }

    private static int Digits(ReadOnlySpan<byte> text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                throw new FormatException($"Expected a digit in the timestamp '{System.Text.Encoding.ASCII.GetString(text)}'.");
            }

            value = (value * 10) + digit;
        }

        return value;
    }
}
