namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One assignment protocol a joining member supports, with its protocol-specific metadata.</summary>
public sealed class JoinGroupRequestProtocol : IKafkaStruct<JoinGroupRequestProtocol>
{
    /// <summary>The protocol name, for example "range" or "cooperative-sticky".</summary>
    public string Name { get; set; } = "";

    /// <summary>The protocol metadata (for consumers: the subscription), opaque to the coordinator.</summary>
    public byte[] Metadata { get; set; } = [];

    /// <inheritdoc/>
    public static JoinGroupRequestProtocol Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= JoinGroupRequest.FirstFlexibleVersion;
        var protocol = new JoinGroupRequestProtocol
        {
            Name = reader.ReadString(flexible, "Name"),
            Metadata = reader.ReadBytes(flexible, "Metadata"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("JoinGroupRequestProtocol");
        }

        return protocol;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= JoinGroupRequest.FirstFlexibleVersion;
        writer.WriteString(Name, flexible, "Name");
        writer.WriteBytes(Metadata, flexible, "Metadata");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
