using System.Text;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark;

/// <summary>
/// Compact binary form of a <see cref="NexmarkEvent"/> (a log record's value): one kind byte, then the fields in
/// declaration order, integers as 7-bit variable-length (zigzag for signed), strings as a 7-bit length then UTF-8.
/// A bid with the default padding takes about 80 bytes.
/// </summary>
public static class NexmarkSerializer
{
    /// <summary>Serializes <paramref name="value"/>.</summary>
    public static byte[] Serialize(NexmarkEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var stream = new MemoryStream(128);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)value.Kind);
            switch (value.Kind)
            {
                case EventKind.Person:
                    var p = value.Person!;
                    Long(writer, p.Id);
                    writer.Write(p.Name);
                    writer.Write(p.EmailAddress);
                    writer.Write(p.CreditCard);
                    writer.Write(p.City);
                    writer.Write(p.State);
                    Long(writer, p.DateTime);
                    writer.Write(p.Extra);
                    break;
                case EventKind.Auction:
                    var a = value.Auction!;
                    Long(writer, a.Id);
                    writer.Write(a.ItemName);
                    writer.Write(a.Description);
                    Long(writer, a.InitialBid);
                    Long(writer, a.Reserve);
                    Long(writer, a.DateTime);
                    Long(writer, a.Expires);
                    Long(writer, a.Seller);
                    Long(writer, a.Category);
                    writer.Write(a.Extra);
                    break;
                default:
                    var b = value.Bid!;
                    Long(writer, b.Auction);
                    Long(writer, b.Bidder);
                    Long(writer, b.Price);
                    writer.Write(b.Channel);
                    writer.Write(b.Url);
                    Long(writer, b.DateTime);
                    writer.Write(b.Extra);
                    break;
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads an event written by <see cref="Serialize"/>; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static NexmarkEvent Deserialize(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            throw new InvalidDataException("A nexmark record must have a value.");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            var kind = (EventKind)reader.ReadByte();
            NexmarkEvent result = kind switch
            {
                EventKind.Person => NexmarkEvent.Of(new Person(Long(reader), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), Long(reader), reader.ReadString())),
                EventKind.Auction => NexmarkEvent.Of(new Auction(Long(reader), reader.ReadString(), reader.ReadString(), Long(reader), Long(reader), Long(reader), Long(reader), Long(reader), Long(reader), reader.ReadString())),
                EventKind.Bid => NexmarkEvent.Of(new Bid(Long(reader), Long(reader), Long(reader), reader.ReadString(), reader.ReadString(), Long(reader), reader.ReadString())),
                _ => throw new InvalidDataException($"Unknown nexmark event kind {(byte)kind}."),
            };
            if (reader.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException($"A nexmark record has {bytes.Length - reader.BaseStream.Position} trailing bytes.");
            }

            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException("A nexmark record is truncated or malformed.", e);
        }
    }

    private static void Long(BinaryWriter writer, long value) => writer.Write7BitEncodedInt64((value << 1) ^ (value >> 63));

    private static long Long(BinaryReader reader)
    {
        var zigzag = (ulong)reader.Read7BitEncodedInt64();
        return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
    }
}
