namespace Freshet.Broker.Handlers;

/// <summary>
/// The authorized-operations bit fields of Metadata (v8+), DescribeCluster and ConsumerGroupDescribe: bit n set means Kafka's
/// <c>AclOperation</c> with code n is allowed. Freshet has no authorizer, so, as a Kafka broker without
/// one, it reports every operation the resource type supports. Immutable; thread-safe.
/// </summary>
internal static class AuthorizedOperations
{
    // Kafka's AclOperation codes.
    private const int Read = 3;
    private const int Write = 4;
    private const int Create = 5;
    private const int Delete = 6;
    private const int Alter = 7;
    private const int Describe = 8;
    private const int ClusterAction = 9;
    private const int DescribeConfigs = 10;
    private const int AlterConfigs = 11;
    private const int IdempotentWrite = 12;

    /// <summary>Every operation on the cluster resource: create, alter, describe, cluster action, describe and alter configs, idempotent write.</summary>
    public const int Cluster = (1 << Create) | (1 << Alter) | (1 << Describe) | (1 << ClusterAction) | (1 << DescribeConfigs) | (1 << AlterConfigs) | (1 << IdempotentWrite);

    /// <summary>Every operation on a consumer group: read, delete, describe.</summary>
    public const int Group = (1 << Read) | (1 << Delete) | (1 << Describe);

    /// <summary>Every operation on a topic: read, write, create, delete, alter, describe, describe and alter configs.</summary>
    public const int Topic = (1 << Read) | (1 << Write) | (1 << Create) | (1 << Delete) | (1 << Alter) | (1 << Describe) | (1 << DescribeConfigs) | (1 << AlterConfigs);
}
