using System.Text;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Records;

namespace Freshet.Broker.Tests.Support;

/// <summary>Ready-made requests for raw-socket tests.</summary>
internal static class Requests
{
    public static byte[] Batch(int records, string prefix = "r", long? timestamp = null)
    {
        var builder = new RecordBatchBuilder();
        var time = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < records; i++)
        {
            builder.Add(time + i, Encoding.UTF8.GetBytes("k" + i), Encoding.UTF8.GetBytes(prefix + i));
        }

        return builder.Build();
    }

    public static ProduceRequest Produce(string topic, byte[] batch, short acks = -1, int partition = 0, string? transactionalId = null) => new()
    {
        Acks = acks,
        TimeoutMs = 5000,
        TransactionalId = transactionalId,
        TopicData = [new TopicProduceData { Name = topic, PartitionData = [new PartitionProduceData { Index = partition, Records = batch }] }],
    };

    public static FetchRequest Fetch(string topic, long offset, int maxWaitMs = 0, int minBytes = 1, int partitionMaxBytes = 1 << 20, int maxBytes = 50 << 20, int partition = 0) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = minBytes,
        MaxBytes = maxBytes,
        Topics = [new FetchTopic { Topic = topic, Partitions = [new FetchPartition { Partition = partition, FetchOffset = offset, PartitionMaxBytes = partitionMaxBytes }] }],
    };

    public static MetadataRequest Metadata(params string[] topics) => new()
    {
        Topics = topics.Select(t => new MetadataRequestTopic { Name = t }).ToArray(),
        AllowAutoTopicCreation = false,
    };

    /// <summary>Values of every record in stored batches.</summary>
    public static List<string> Values(ReadOnlyMemory<byte> batches) =>
        RecordBatchReader.ReadRecords(batches).Select(r => Encoding.UTF8.GetString(r.Value!)).ToList();
}
