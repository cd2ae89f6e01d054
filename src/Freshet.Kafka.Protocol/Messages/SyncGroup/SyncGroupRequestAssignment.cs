namespace Freshet.Kafka.Protocol.Messages;

/// <summary>The assignment the group leader computed for one member.</summary>
public sealed class SyncGroupRequestAssignment : IKafkaStruct<SyncGroupRequestAssignment>
{
    /// <summary>The member the assignment is for.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The member's assignment, opaque to the coordinator.</summary>
    public byte[] Assignment { get; set; } = [];

    /// <inheritdoc/>
    public static SyncGroupRequestAssignment Read(ref KafkaReader reader, short version)
    {
        bool flexible = version >= SyncGroupRequest.FirstFlexibleVersion;
        var assignment = new SyncGroupRequestAssignment
        {
            MemberId = reader.ReadString(flexible, "MemberId"),
            Assignment = reader.ReadBytes(flexible, "Assignment"),
        };

        if (flexible)
        {
            reader.SkipTaggedFields("SyncGroupRequestAssignment");
        }

        return assignment;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        bool flexible = version >= SyncGroupRequest.FirstFlexibleVersion;
        writer.WriteString(MemberId, flexible, "MemberId");
        writer.WriteBytes(Assignment, flexible, "Assignment");

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
