using System.Buffers.Binary;
using Confluent.Kafka;
using CsCheck;
using Freshet.Streaming.Application.Repartition;

namespace Freshet.Streaming.Tests.Application.Repartition;

/// <summary>
/// The repartition record format without a broker: markers and event times survive encode-then-read for every value,
/// and bytes no writer produces are refused with an <see cref="InvalidDataException"/>, never another exception.
/// </summary>
public sealed class RepartitionRecordFormatTests
{
    [Fact]
    public void Marker_AnyTaskWatermarkAndIdleness_RoundTrips()
    {
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Long, Gen.Bool).Sample((task, watermark, idle) =>
        {
            var marker = new WatermarkMarker(task, watermark, idle);
            var bytes = RepartitionRecordFormat.EncodeMarker(marker);
            Assert.Equal(RepartitionRecordFormat.MarkerLength, bytes.Length);
            Assert.Equal(marker, RepartitionRecordFormat.DecodeMarker(bytes));

            var kind = RepartitionRecordFormat.Read(RepartitionRecordFormat.MarkerMessage(marker), out var read, out _);
            Assert.Equal(RepartitionRecordKind.WatermarkMarker, kind);
            Assert.Equal(marker, read);
        });
    }

    [Fact]
    public void Marker_LayoutIsVersionTaskWatermarkIdleBigEndian()
    {
        var bytes = RepartitionRecordFormat.EncodeMarker(new WatermarkMarker(3, 0x0102030405060708, Idle: true));
        Assert.Equal([1, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 1], bytes);
    }

    [Fact]
    public void DataMessage_AnyEventTime_ReadsBackExactly()
    {
        Gen.Long.Sample(eventTime =>
        {
            var message = RepartitionRecordFormat.DataMessage([42], eventTime);
            var kind = RepartitionRecordFormat.Read(AsConsumed(message), out _, out var read);
            Assert.Equal(RepartitionRecordKind.Data, kind);
            Assert.Equal(eventTime, read);
        });
    }

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-5)]
    [InlineData(-1)]
    [InlineData(0)]
    public void DataMessage_EventTimeAKafkaTimestampCannotCarry_GoesInTheHeaderAndTheTimestampIsTheProducersClock(long eventTime)
    {
        var message = RepartitionRecordFormat.DataMessage([42], eventTime);
        Assert.Equal(TimestampType.NotAvailable, message.Timestamp.Type);
        Assert.True(message.Headers.TryGetLastBytes(RepartitionRecordFormat.EventTimeHeader, out var bytes));
        Assert.Equal(eventTime, BinaryPrimitives.ReadInt64BigEndian(bytes));
        Assert.False(message.Headers.TryGetLastBytes(RepartitionRecordFormat.WatermarkHeader, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_700_000_000_000)]
    [InlineData(long.MaxValue)]
    public void DataMessage_PositiveEventTime_IsTheCreateTimeTimestampWithoutHeaders(long eventTime)
    {
        var message = RepartitionRecordFormat.DataMessage([42], eventTime);
        Assert.Equal(new Timestamp(eventTime, TimestampType.CreateTime), message.Timestamp);
        Assert.Null(message.Headers);
    }

    [Fact]
    public void DecodeMarker_RandomBytes_DecodeOnlyWhenWellFormedElseInvalidData()
    {
        Gen.Byte.Array[0, 20].Sample(bytes =>
        {
            var wellFormed = bytes.Length == 14 && bytes[0] == 1 && BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)) >= 0 && bytes[13] <= 1;
            if (wellFormed)
            {
                Assert.Equal(bytes, RepartitionRecordFormat.EncodeMarker(RepartitionRecordFormat.DecodeMarker(bytes)));
            }
            else
            {
                Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.DecodeMarker(bytes));
            }
        });
    }

    [Theory]
    [InlineData(new byte[0], "is empty")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "has version 2")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "has 13 bytes")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "has 15 bytes")]
    [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "upstream task -1")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 }, "idle byte 2")]
    public void DecodeMarker_Malformed_SaysWhatIsWrong(byte[] bytes, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.DecodeMarker(bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MarkerWithAValue_Refused()
    {
        var message = RepartitionRecordFormat.MarkerMessage(new WatermarkMarker(0, 5, false));
        message.Value = [1];
        var error = Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.Read(message, out _, out _));
        Assert.Contains("has a value of 1 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderTwice_Refused()
    {
        var marker = RepartitionRecordFormat.EncodeMarker(new WatermarkMarker(0, 5, false));
        var message = new Message<byte[]?, byte[]?> { Headers = new Headers { { RepartitionRecordFormat.WatermarkHeader, marker }, { RepartitionRecordFormat.WatermarkHeader, marker } } };
        var error = Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.Read(message, out _, out _));
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MarkerAndEventTimeHeaders_Refused()
    {
        var message = RepartitionRecordFormat.MarkerMessage(new WatermarkMarker(0, 5, false));
        message.Headers.Add(RepartitionRecordFormat.EventTimeHeader, new byte[8]);
        var error = Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.Read(message, out _, out _));
        Assert.Contains("both", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, "has 7 bytes")]
    [InlineData(9, "has 9 bytes")]
    public void Read_EventTimeHeaderOfTheWrongLength_Refused(int length, string expected)
    {
        var message = new Message<byte[]?, byte[]?> { Value = [1], Headers = new Headers { { RepartitionRecordFormat.EventTimeHeader, new byte[length] } } };
        var error = Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.Read(message, out _, out _));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EventTimeHeaderHoldingATimestampableTime_Refused()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, 1_000);
        var message = new Message<byte[]?, byte[]?> { Value = [1], Headers = new Headers { { RepartitionRecordFormat.EventTimeHeader, bytes } } };
        Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.Read(message, out _, out _));
    }

    [Theory]
    [InlineData(TimestampType.LogAppendTime, 1_000L, "LogAppendTime")]
    [InlineData(TimestampType.NotAvailable, 0L, "NotAvailable")]
    [InlineData(TimestampType.CreateTime, 0L, "timestamp 0 and no")]
    public void Read_DataRecordWhoseTimestampIsNotAnEventTime_Refused(TimestampType type, long timestamp, string expected)
    {
        var message = new Message<byte[]?, byte[]?> { Value = [1], Timestamp = new Timestamp(timestamp, type) };
        var error = Assert.Throws<InvalidDataException>(() => RepartitionRecordFormat.Read(message, out _, out _));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OtherHeaders_Ignored()
    {
        var message = RepartitionRecordFormat.DataMessage([1], 500);
        message.Headers = new Headers { { "trace-id", [9, 9] } };
        Assert.Equal(RepartitionRecordKind.Data, RepartitionRecordFormat.Read(message, out _, out var eventTime));
        Assert.Equal(500, eventTime);
    }

    /// <summary>What a consumer sees of a produced message: a record without event time in a timestamp gets the producer's clock as its CreateTime.</summary>
    private static Message<byte[]?, byte[]?> AsConsumed(Message<byte[]?, byte[]?> produced) =>
        produced.Timestamp.Type == TimestampType.NotAvailable
            ? new Message<byte[]?, byte[]?> { Value = produced.Value, Headers = produced.Headers, Timestamp = new Timestamp(1_765_000_000_000, TimestampType.CreateTime) }
            : produced;
}
