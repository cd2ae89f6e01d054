namespace Freshet.Bench.Broker;

/// <summary>
/// A Kafka-protocol endpoint the broker suite drives with Confluent.Kafka clients: the Freshet broker
/// (<see cref="FreshetTarget"/>) or librdkafka's in-memory mock cluster (<see cref="MockClusterTarget"/>).
/// Both run inside the benchmark process and listen on loopback. Not thread-safe: create topics from one thread.
/// </summary>
internal abstract class BenchTarget : IDisposable
{
    /// <summary>Short name for tables and progress lines.</summary>
    public abstract string Name { get; }

    /// <summary>The <c>host:port</c> clients bootstrap from.</summary>
    public abstract string BootstrapServers { get; }

    /// <summary>Adds what a client needs beyond the bootstrap address (TLS settings for a TLS listener); by default nothing.</summary>
    public virtual T Configure<T>(T config)
        where T : Confluent.Kafka.ClientConfig => config;

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions and waits until clients can use it.</summary>
    public abstract void CreateTopic(string topic, int partitions);

    public abstract void Dispose();
}
