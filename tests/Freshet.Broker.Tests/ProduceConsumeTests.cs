using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests;

/// <summary>Produce and Fetch through real librdkafka clients against a real broker.</summary>
public sealed class ProduceConsumeTests
{
    public static TheoryData<CompressionType> Codecs =>
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task ProduceConsume_EachCodec_RoundTripsKeysValuesHeadersAndTimestamps(CompressionType codec)
    {
        await using var harness = await BrokerHarness.StartAsync();
        var topic = "codec-" + codec.ToString().ToLowerInvariant();
        const int count = 200;
        var baseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.CompressionType = codec)).Build())
        {
            for (var i = 0; i < count; i++)
            {
                var headers = new Headers { { "index", Encoding.UTF8.GetBytes(i.ToString()) }, { "empty", [] } };
                producer.Produce(topic, new Message<byte[]?, byte[]?>
                {
                    Key = i % 10 == 0 ? null : Encoding.UTF8.GetBytes("key-" + i),
                    Value = i % 17 == 0 ? null : Encoding.UTF8.GetBytes(new string('v', i % 50) + i),
                    Headers = headers,
                    Timestamp = new Timestamp(baseTime + i, TimestampType.CreateTime),
                });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
        }

        var consumed = harness.ConsumeFromBeginning(topic, count);

        Assert.Equal(count, consumed.Count);
        for (var i = 0; i < count; i++)
        {
            var message = consumed[i].Message;
            Assert.Equal(i, consumed[i].Offset.Value);
            Assert.Equal(i % 10 == 0 ? null : "key-" + i, message.Key is null ? null : Encoding.UTF8.GetString(message.Key));
            Assert.Equal(i % 17 == 0 ? null : new string('v', i % 50) + i, message.Value is null ? null : Encoding.UTF8.GetString(message.Value));
            Assert.Equal(baseTime + i, message.Timestamp.UnixTimestampMs);
            Assert.Equal(TimestampType.CreateTime, message.Timestamp.Type);
            Assert.Equal(i.ToString(), Encoding.UTF8.GetString(message.Headers.GetLastBytes("index")));
            Assert.Empty(message.Headers.GetLastBytes("empty"));
        }

        // Stored as sent: the batches on disk carry the producer's codec (librdkafka sends a batch
        // uncompressed when compressing would not make it smaller, so some may carry none).
        var stored = harness.Store.GetPartition(topic, 0).Read(0, 1 << 24).Records;
        var codecs = Freshet.Log.Records.RecordBatchReader.ReadBatches(stored).Select(b => (int)b.Header.Compression).ToList();
        Assert.Contains((int)codec, codecs);
        Assert.All(codecs, c => Assert.True(c == (int)codec || c == 0));
    }
}
