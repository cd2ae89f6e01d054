namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// ListGroups request (key 16), versions 0-4, flexible from v3.
/// Empty before v4; v4 adds a filter on group states (KIP-518). v5 (group type filter) is not supported.
/// </summary>
public sealed class ListGroupsRequest : IKafkaMessage<ListGroupsRequest>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.ListGroups;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 4;

    /// <summary>The states to list; empty lists every group with its state (v4+).</summary>
    public IReadOnlyList<string> StatesFilter { get; set; } = [];

    /// <inheritdoc/>
    public static ListGroupsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ListGroupsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new ListGroupsRequest();
        if (version >= 4)
        {
            message.StatesFilter = reader.ReadStringArray(flexible, "StatesFilter");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("ListGroupsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ListGroupsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        if (version >= 4)
        {
            writer.WriteStringArray(StatesFilter, flexible, "StatesFilter");
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
