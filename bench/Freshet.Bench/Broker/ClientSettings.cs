using Confluent.Kafka;

namespace Freshet.Bench.Broker;

/// <summary>
/// The Confluent.Kafka configurations of the broker suite, identical for both targets. Throughput clients
/// keep librdkafka's defaults except what the issue fixes (acks=all, linger 5 ms) and the consumer's
/// fetch-queue backoff (see <see cref="ThroughputConsumer"/>); the latency clients
/// use a short linger and a short fetch wait, with Nagle off on the client sockets.
/// </summary>
internal static class ClientSettings
{
    public static ProducerConfig ThroughputProducer(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        LingerMs = 5,
        // The delivery handler only looks at the error: skip marshalling topic, key, value and timestamp back.
        DeliveryReportFields = "none",
    };

    public static ConsumerConfig ThroughputConsumer(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        // Required by Confluent.Kafka; never joins since partitions are assigned manually.
        GroupId = "freshet-bench",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = false,
        // When the prefetch queue is full (the application reads slower than the target serves), librdkafka
        // pauses fetching for fetch.queue.backoff.ms, 1 s by default: whole-second stalls that would
        // measure the client's timer, not the target. Resume almost at once instead.
        FetchQueueBackoffMs = 5,

        // A consumer at the end of its window has a fetch waiting up to fetch.wait.max.ms (500 ms by default)
        // in flight, and the fetch from re-assigned offsets goes out only after it returns: keep the pause
        // between passes short (ConsumerThroughput times each pass from its first message, so this only
        // shortens the suite; while data is available every fetch returns at once either way).
        FetchWaitMaxMs = 10,
    };

    public static ProducerConfig LatencyProducer(string bootstrapServers, int lingerMs) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        LingerMs = lingerMs,
        SocketNagleDisable = true,
        DeliveryReportFields = "none",
    };

    public static ConsumerConfig LatencyConsumer(string bootstrapServers, int fetchWaitMaxMs) => new()
    {
        BootstrapServers = bootstrapServers,
        // Required by Confluent.Kafka; never joins since partitions are assigned manually.
        GroupId = "freshet-bench",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = false,
        FetchWaitMaxMs = fetchWaitMaxMs,
        SocketNagleDisable = true,
    };
}
