namespace Freshet.Cli.Targets;

/// <summary>One topic partition as <c>freshet topics describe</c> shows it.</summary>
internal sealed record PartitionInfo(int Id, long LogStartOffset, long LogEndOffset);

/// <summary>A topic as <c>freshet topics describe</c> shows it.</summary>
internal sealed record TopicInfo(string Name, IReadOnlyList<PartitionInfo> Partitions, IReadOnlyDictionary<string, string> Config);

/// <summary>A record as <c>freshet consume</c> prints it.</summary>
internal readonly record struct ConsumedRecord(int Partition, long Offset, byte[]? Key, byte[]? Value);

/// <summary>What <c>freshet consume</c> was asked for.</summary>
/// <param name="Group">Consumer group whose committed offsets to start from and commit to; null reads without a group.</param>
/// <param name="FromBeginning">Start at the log start when there is no committed offset (else at the end, like Kafka's console consumer).</param>
/// <param name="Follow">Keep waiting for new records instead of stopping at the end of the log.</param>
/// <param name="MaxMessages">Stop after this many records; null for no limit.</param>
internal sealed record ConsumeRequest(string Topic, string? Group, bool FromBeginning, bool Follow, long? MaxMessages);

/// <summary>
/// Where the topic, produce and consume commands act: a data directory opened in process, or a Kafka-protocol broker.
/// Failures a user can act on are <see cref="CliException"/>s with one sentence.
/// </summary>
internal interface ILogTarget : IDisposable
{
    IReadOnlyList<string> ListTopics();

    void CreateTopic(string name, int partitions, IReadOnlyDictionary<string, string> config);

    TopicInfo DescribeTopic(string name);

    void DeleteTopic(string name);

    /// <summary>Appends the records in order (keys partition them as Kafka's default partitioner does); returns how many.</summary>
    long Produce(string topic, IEnumerable<(byte[]? Key, byte[] Value)> records);

    /// <summary>Reads records, calling <paramref name="onRecord"/> for each, until the end (or forever with follow), the limit or cancellation; returns how many.</summary>
    long Consume(ConsumeRequest request, Action<ConsumedRecord> onRecord, CancellationToken cancellation);
}

/// <summary>A failure to report as one sentence (exit code 1).</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException()
    {
    }
}
