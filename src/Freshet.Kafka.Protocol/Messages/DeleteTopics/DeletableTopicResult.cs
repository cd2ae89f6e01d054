namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The result of deleting one topic in a DeleteTopics response.</summary>
public sealed class DeletableTopicResult : IKafkaStruct<DeletableTopicResult>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The error code, or 0 if the topic was deleted.</summary>
    public short ErrorCode { get; set; }

    /// <inheritdoc/>
    public static DeletableTopicResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= DeleteTopicsResponse.FirstFlexibleVersion;
        var result = new DeletableTopicResult
        {
            Name = reader.ReadString(flexible, "Name"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("DeletableTopicResult");
        }

        return result;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= DeleteTopicsResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt16(ErrorCode);

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
