namespace Freshet.Kafka.Protocol.Messages;

/// <summary>One broker in a <see cref="MetadataResponse"/>: where clients connect to it.</summary>
public sealed class MetadataResponseBroker : IKafkaStruct<MetadataResponseBroker>
{
    /// <summary>The broker's node id.</summary>
    public int NodeId { get; set; }

    /// <summary>The host name clients connect to.</summary>
    public string Host { get; set; } = "";

    /// <summary>The TCP port clients connect to.</summary>
    public int Port { get; set; }

    /// <summary>The broker's rack, or null.</summary>
    public string? Rack { get; set; }

    /// <inheritdoc/>
    public static MetadataResponseBroker Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        var broker = new MetadataResponseBroker
        {
            NodeId = reader.ReadInt32("NodeId"),
            Host = reader.ReadString(flexible, "Host"),
            Port = reader.ReadInt32("Port"),
            Rack = reader.ReadNullableString(flexible, "Rack"),
        };
        if (flexible)
        {
            reader.SkipTaggedFields("MetadataResponseBroker");
        }

        return broker;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= MetadataRequest.FirstFlexibleVersion;
        writer.WriteInt32(NodeId);
        writer.WriteString(Host, flexible, "Host");
        writer.WriteInt32(Port);
        writer.WriteNullableString(Rack, flexible, "Rack");
        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
