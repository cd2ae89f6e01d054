namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The result of creating one topic in a CreateTopics response.</summary>
public sealed class CreatableTopicResult : IKafkaStruct<CreatableTopicResult>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The error message, or null if there was no error; "" by default, as in Kafka's definition (v1+).</summary>
    public string? ErrorMessage { get; set; } = "";

    /// <inheritdoc/>
    public static CreatableTopicResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreateTopicsResponse.FirstFlexibleVersion;
        var result = new CreatableTopicResult
        {
            Name = reader.ReadString(flexible, "Name"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
        };
        if (version >= 1)
        {
            result.ErrorMessage = reader.ReadNullableString(flexible, "ErrorMessage");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("CreatableTopicResult");
        }

        return result;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreateTopicsResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt16(ErrorCode);
        if (version >= 1)
        {
            writer.WriteNullableString(ErrorMessage, flexible, "ErrorMessage");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
