namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// Kafka's rules about operations: which apply to each resource type, and which allowed operations imply others
/// (an allowed READ, WRITE, DELETE or ALTER also allows DESCRIBE; an allowed ALTER_CONFIGS also allows DESCRIBE_CONFIGS;
/// ALL allows everything). Implication applies to allows only: a deny covers exactly its operation, or every one for ALL.
/// Stateless; thread-safe.
/// </summary>
public static class AclOperations
{
    private const int TopicBits = (1 << (int)AclOperation.Read) | (1 << (int)AclOperation.Write) | (1 << (int)AclOperation.Create) | (1 << (int)AclOperation.Delete)
        | (1 << (int)AclOperation.Alter) | (1 << (int)AclOperation.Describe) | (1 << (int)AclOperation.DescribeConfigs) | (1 << (int)AclOperation.AlterConfigs);

    private const int GroupBits = (1 << (int)AclOperation.Read) | (1 << (int)AclOperation.Delete) | (1 << (int)AclOperation.Describe);

    private const int ClusterBits = (1 << (int)AclOperation.Create) | (1 << (int)AclOperation.Alter) | (1 << (int)AclOperation.Describe) | (1 << (int)AclOperation.ClusterAction)
        | (1 << (int)AclOperation.DescribeConfigs) | (1 << (int)AclOperation.AlterConfigs) | (1 << (int)AclOperation.IdempotentWrite);

    private const int TransactionalIdBits = (1 << (int)AclOperation.Write) | (1 << (int)AclOperation.Describe);

    private const int DelegationTokenBits = 1 << (int)AclOperation.Describe;

    private const int UserBits = (1 << (int)AclOperation.CreateTokens) | (1 << (int)AclOperation.DescribeTokens);

    /// <summary>
    /// The operations that apply to <paramref name="resourceType"/> as a bit field (bit n: the operation with code n), as
    /// the authorized-operations fields report them; 0 for filter-only and unknown types.
    /// </summary>
    public static int SupportedBits(AclResourceType resourceType) => resourceType switch
    {
        AclResourceType.Topic => TopicBits,
        AclResourceType.Group => GroupBits,
        AclResourceType.Cluster => ClusterBits,
        AclResourceType.TransactionalId => TransactionalIdBits,
        AclResourceType.DelegationToken => DelegationTokenBits,
        AclResourceType.User => UserBits,
        _ => 0,
    };

    /// <summary>Whether an ACL that allows <paramref name="granted"/> allows <paramref name="requested"/>.</summary>
    public static bool Implies(AclOperation granted, AclOperation requested) =>
        granted == requested
        || granted == AclOperation.All
        || (requested == AclOperation.Describe && granted is AclOperation.Read or AclOperation.Write or AclOperation.Delete or AclOperation.Alter)
        || (requested == AclOperation.DescribeConfigs && granted == AclOperation.AlterConfigs);
}
