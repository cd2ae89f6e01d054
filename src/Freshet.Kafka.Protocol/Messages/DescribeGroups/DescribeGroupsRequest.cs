namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// DescribeGroups request (key 15), versions 0-5, flexible from v5.
/// v3 adds the request for the caller's authorized operations.
/// </summary>
public sealed class DescribeGroupsRequest : IKafkaMessage<DescribeGroupsRequest>
{
    internal const short FirstFlexibleVersion = 5;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.DescribeGroups;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 5;

    /// <summary>The ids of the groups to describe.</summary>
    public IReadOnlyList<string> Groups { get; set; } = [];

    /// <summary>Whether to report the operations the caller may perform on each group (v3+).</summary>
    public bool IncludeAuthorizedOperations { get; set; }

    /// <inheritdoc/>
    public static DescribeGroupsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<DescribeGroupsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new DescribeGroupsRequest
        {
            Groups = reader.ReadStringArray(flexible, "Groups"),
        };
        if (version >= 3)
        {
            message.IncludeAuthorizedOperations = reader.ReadBool("IncludeAuthorizedOperations");
        }

        if (flexible)
        {
            reader.SkipTaggedFields("DescribeGroupsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<DescribeGroupsRequest>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteStringArray(Groups, flexible, "Groups");
        if (version >= 3)
        {
            writer.WriteBool(IncludeAuthorizedOperations);
        }

        if (flexible)
        {
            writer.WriteEmptyTaggedFields();
        }
    }
}
