using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Freshet.Bench.Scaleout;

/// <summary>The few cluster operations the suite needs, through Confluent.Kafka's admin client and a metadata consumer.</summary>
internal static class ClusterAdmin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static void CreateTopic(string bootstrapServers, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]).GetAwaiter().GetResult();
    }

    /// <summary>Topics whose names start with <paramref name="prefix"/> and end with <paramref name="suffix"/>, with their partition counts.</summary>
    public static List<(string Topic, int Partitions)> Topics(string bootstrapServers, string prefix, string suffix)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(Timeout);
        return [.. metadata.Topics
            .Where(t => t.Topic.StartsWith(prefix, StringComparison.Ordinal) && t.Topic.EndsWith(suffix, StringComparison.Ordinal))
            .OrderBy(static t => t.Topic, StringComparer.Ordinal)
            .Select(static t => (t.Topic, t.Partitions.Count))];
    }

    /// <summary>
    /// The high watermark (log end offset on a single node with acks=all) of one partition, records of open
    /// transactions included: read_uncommitted, since librdkafka's default read_committed answers the last stable
    /// offset, before which an open transaction that commits later (its EndTxn already on its way) still adds records.
    /// </summary>
    public static long HighWatermark(string bootstrapServers, string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "scaleout-admin", IsolationLevel = IsolationLevel.ReadUncommitted }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Timeout).High.Value;
    }
}
