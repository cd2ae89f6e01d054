using System.Buffers.Binary;
using Confluent.Kafka;

namespace Freshet.Streaming.Application.Repartition;

/// <summary>
/// The form of a Kafka record in a repartition topic, the topic that joins an upstream sub-topology's tasks to a
/// downstream one's. Two kinds of record share a partition, in the order the upstream tasks wrote them:
/// <list type="bullet">
/// <item><b>Data</b>: key null (the writer chooses the partition itself, and the downstream operator derives keys from
/// values again, so a key would only cost bytes); value = the record serialized by the edge's value serializer
/// (<c>Serializers.Default&lt;T&gt;()</c> unless the job gives one); timestamp = the record's event time, type
/// CreateTime. An event time below <see cref="FirstTimestampEventTime"/> — none (<see cref="long.MinValue"/>), or at
/// or before the Unix epoch — cannot be a Kafka timestamp (Kafka refuses negative timestamps other than -1, and
/// librdkafka replaces 0 by the producer's clock), so it travels in the header <see cref="EventTimeHeader"/> (int64
/// big-endian, exactly the event time) and the record's timestamp is then the producer's clock, which readers
/// ignore. A data record has no <see cref="WatermarkHeader"/>; a null value is read as an empty one (librdkafka does
/// not tell an empty value from a missing one).</item>
/// <item><b>Watermark marker</b>: key and value null, header <see cref="WatermarkHeader"/> =
/// <c>[version = 1][int32 BE upstream task partition][int64 BE watermark][byte idle (0 or 1)]</c>, 14 bytes; timestamp
/// the producer's clock (ignored). See <see cref="WatermarkMarker"/>.</item>
/// </list>
/// Headers other than these two are ignored, so a later writer may add some. What the cluster must do: keep CreateTime
/// timestamps as written (<c>message.timestamp.type=CreateTime</c>, and no <c>message.timestamp.before.max.ms</c> /
/// <c>after.max.ms</c> bound that event times could cross); the runtime creates the topic so.
/// <para>
/// Decoding never trusts the bytes: anything else — a marker of another version or length, a negative upstream index,
/// an idle byte other than 0 or 1, a marker with a value, two copies of a header, an event-time header of the wrong
/// length, a timestamp that is not CreateTime — is an <see cref="InvalidDataException"/> that says what is wrong.
/// Stateless; thread-safe.
/// </para>
/// </summary>
internal static class RepartitionRecordFormat
{
    /// <summary>Header that makes a record a watermark marker.</summary>
    public const string WatermarkHeader = "freshet.watermark";

    /// <summary>Header that carries a data record's event time when the Kafka timestamp cannot (below <see cref="FirstTimestampEventTime"/>).</summary>
    public const string EventTimeHeader = "freshet.event-time";

    /// <summary>The marker layout this code writes and reads.</summary>
    public const byte MarkerVersion = 1;

    /// <summary>Bytes of a marker header of <see cref="MarkerVersion"/> 1.</summary>
    public const int MarkerLength = 1 + 4 + 8 + 1;

    /// <summary>The smallest event time (ms) carried as the record's Kafka timestamp; smaller ones go in <see cref="EventTimeHeader"/>.</summary>
    public const long FirstTimestampEventTime = 1;

    private const int EventTimeLength = 8;

    /// <summary>The bytes of <paramref name="marker"/>'s header.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The upstream task index is negative.</exception>
    public static byte[] EncodeMarker(WatermarkMarker marker)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(marker.UpstreamTask);
        var bytes = new byte[MarkerLength];
        bytes[0] = MarkerVersion;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), marker.UpstreamTask);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(5), marker.Watermark);
        bytes[13] = marker.Idle ? (byte)1 : (byte)0;
        return bytes;
    }

    /// <summary>Reads a marker header written by <see cref="EncodeMarker"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a marker of version 1.</exception>
    public static WatermarkMarker DecodeMarker(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            throw new InvalidDataException($"The '{WatermarkHeader}' header is empty; a version {MarkerVersion} marker has {MarkerLength} bytes.");
        }

        if (bytes[0] != MarkerVersion)
        {
            throw new InvalidDataException($"The '{WatermarkHeader}' header has version {bytes[0]}; this reader knows version {MarkerVersion} (was the topic written by a newer Freshet?).");
        }

        if (bytes.Length != MarkerLength)
        {
            throw new InvalidDataException($"The '{WatermarkHeader}' header has {bytes.Length} bytes; a version {MarkerVersion} marker has {MarkerLength}.");
        }

        var upstream = BinaryPrimitives.ReadInt32BigEndian(bytes[1..]);
        if (upstream < 0)
        {
            throw new InvalidDataException($"The '{WatermarkHeader}' header names upstream task {upstream}; task partitions are not negative.");
        }

        var idle = bytes[13] switch
        {
            0 => false,
            1 => true,
            var other => throw new InvalidDataException($"The '{WatermarkHeader}' header has idle byte {other}; it is 0 (active) or 1 (idle)."),
        };
        return new WatermarkMarker(upstream, BinaryPrimitives.ReadInt64BigEndian(bytes[5..]), idle);
    }

    /// <summary>A data record of value bytes <paramref name="value"/> and event time <paramref name="eventTime"/> (ms, <see cref="long.MinValue"/> for none).</summary>
    public static Message<byte[]?, byte[]?> DataMessage(byte[] value, long eventTime)
    {
        if (eventTime >= FirstTimestampEventTime)
        {
            return new Message<byte[]?, byte[]?> { Value = value, Timestamp = new Timestamp(eventTime, TimestampType.CreateTime) };
        }

        var eventTimeBytes = new byte[EventTimeLength];
        BinaryPrimitives.WriteInt64BigEndian(eventTimeBytes, eventTime);
        return new Message<byte[]?, byte[]?> { Value = value, Timestamp = Timestamp.Default, Headers = new Headers { { EventTimeHeader, eventTimeBytes } } };
    }

    /// <summary>A watermark marker record of <paramref name="marker"/>.</summary>
    public static Message<byte[]?, byte[]?> MarkerMessage(WatermarkMarker marker) =>
        new() { Value = null, Timestamp = Timestamp.Default, Headers = new Headers { { WatermarkHeader, EncodeMarker(marker) } } };

    /// <summary>
    /// Classifies a consumed record and reads what it carries: for <see cref="RepartitionRecordKind.Data"/> its event
    /// time (ms, <see cref="long.MinValue"/> for none; the value stays in the message), for
    /// <see cref="RepartitionRecordKind.WatermarkMarker"/> the marker.
    /// </summary>
    /// <exception cref="InvalidDataException">The record is neither kind as this format writes it.</exception>
    public static RepartitionRecordKind Read(Message<byte[]?, byte[]?> message, out WatermarkMarker marker, out long eventTime)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[]? markerBytes = null;
        byte[]? eventTimeBytes = null;
        if (message.Headers is { } headers)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                var header = headers[i];
                if (header.Key == WatermarkHeader)
                {
                    markerBytes = markerBytes is null ? header.GetValueBytes() ?? [] : throw Duplicate(WatermarkHeader);
                }
                else if (header.Key == EventTimeHeader)
                {
                    eventTimeBytes = eventTimeBytes is null ? header.GetValueBytes() ?? [] : throw Duplicate(EventTimeHeader);
                }
            }
        }

        if (markerBytes is not null)
        {
            if (message.Value is { Length: > 0 } value)
            {
                throw new InvalidDataException($"A record with the '{WatermarkHeader}' header has a value of {value.Length} bytes; a watermark marker has none.");
            }

            if (eventTimeBytes is not null)
            {
                throw new InvalidDataException($"A record has both the '{WatermarkHeader}' and the '{EventTimeHeader}' header; a watermark marker has no event time.");
            }

            marker = DecodeMarker(markerBytes);
            eventTime = long.MinValue;
            return RepartitionRecordKind.WatermarkMarker;
        }

        marker = default;
        if (eventTimeBytes is not null)
        {
            if (eventTimeBytes.Length != EventTimeLength)
            {
                throw new InvalidDataException($"The '{EventTimeHeader}' header has {eventTimeBytes.Length} bytes; it holds an int64 (8 bytes).");
            }

            eventTime = BinaryPrimitives.ReadInt64BigEndian(eventTimeBytes);
            if (eventTime >= FirstTimestampEventTime)
            {
                throw new InvalidDataException($"The '{EventTimeHeader}' header holds event time {eventTime}, which the record's timestamp carries instead (headers carry only event times below {FirstTimestampEventTime}).");
            }

            return RepartitionRecordKind.Data;
        }

        var timestamp = message.Timestamp;
        if (timestamp.Type != TimestampType.CreateTime)
        {
            throw new InvalidDataException(
                $"A data record has a timestamp of type {timestamp.Type}; the event time of a repartition record is its CreateTime timestamp (the topic must have message.timestamp.type=CreateTime).");
        }

        if (timestamp.UnixTimestampMs < FirstTimestampEventTime)
        {
            throw new InvalidDataException($"A data record has timestamp {timestamp.UnixTimestampMs} and no '{EventTimeHeader}' header; event times below {FirstTimestampEventTime} travel in that header.");
        }

        eventTime = timestamp.UnixTimestampMs;
        return RepartitionRecordKind.Data;
    }

    private static InvalidDataException Duplicate(string header) => new($"A record has the '{header}' header more than once.");
}
