namespace Freshet.Kafka.Protocol.Messages;

/// <summary>Partitions of one topic to drop from an incremental fetch session (<see cref="FetchRequest"/> v7+).</summary>
public sealed class ForgottenTopic : IKafkaStruct<ForgottenTopic>
{
    /// <summary>The topic name.</summary>
    public string Topic { get; set; } = "";

    /// <summary>The partition indexes to forget.</summary>
    public IReadOnlyList<int> Partitions { get; set; } = [];

    /// <inheritdoc/>
    public static ForgottenTopic Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        var topic = new ForgottenTopic
        {
            Topic = reader.ReadString(flexible, "Topic"),
            Partitions = reader.ReadInt32Array(flexible, "Partitions"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("ForgottenTopic");
        }

        return topic;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= FetchRequest.FirstFlexibleVersion;
        writer.WriteString(Topic, flexible, "Topic");
        writer.WriteInt32Array(Partitions, flexible, "Partitions");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
