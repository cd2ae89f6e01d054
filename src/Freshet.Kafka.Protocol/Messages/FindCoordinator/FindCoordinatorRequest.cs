namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// FindCoordinator request (key 10), versions 0-2 (none flexible: flexible versions start at 3, batched
/// keys at 4): which broker coordinates a group (key type 0) or a transactional id (key type 1, v1+).
/// </summary>
public sealed class FindCoordinatorRequest : IKafkaMessage<FindCoordinatorRequest>
{
    /// <summary>Key type of a consumer group id.</summary>
    public const sbyte GroupKeyType = 0;

    /// <summary>Key type of a transactional id.</summary>
    public const sbyte TransactionKeyType = 1;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.FindCoordinator;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 2;

    /// <summary>The group id or transactional id.</summary>
    public string Key { get; set; } = "";

    /// <summary>What <see cref="Key"/> names (v1+; group before).</summary>
    public sbyte KeyType { get; set; } = GroupKeyType;

    /// <inheritdoc/>
    public static FindCoordinatorRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<FindCoordinatorRequest>(version);
        var message = new FindCoordinatorRequest { Key = reader.ReadString(compact: false, "Key") };
        if (version >= 1)
        {
            message.KeyType = reader.ReadInt8("KeyType");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<FindCoordinatorRequest>(version);
        writer.WriteString(Key, compact: false, "Key");
        if (version >= 1)
        {
            writer.WriteInt8(KeyType);
        }
    }
}
