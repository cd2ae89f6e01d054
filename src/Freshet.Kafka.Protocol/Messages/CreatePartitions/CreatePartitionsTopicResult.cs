namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The result of growing one topic in a CreatePartitions response.</summary>
public sealed class CreatePartitionsTopicResult : IKafkaStruct<CreatePartitionsTopicResult>
{
    /// <summary>The topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The error code, or 0 if there was no error.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The error message, or null if there was no error.</summary>
    public string? ErrorMessage { get; set; }

    /// <inheritdoc/>
    public static CreatePartitionsTopicResult Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= CreatePartitionsResponse.FirstFlexibleVersion;
        var result = new CreatePartitionsTopicResult
        {
            Name = reader.ReadString(flexible, "Name"),
            ErrorCode = reader.ReadInt16("ErrorCode"),
            ErrorMessage = reader.ReadNullableString(flexible, "ErrorMessage"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("CreatePartitionsTopicResult");
        }

        return result;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= CreatePartitionsResponse.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteInt16(ErrorCode);
        writer.WriteNullableString(ErrorMessage, flexible, "ErrorMessage");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
