namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// What a principal does to a resource, with Kafka's <c>AclOperation</c> codes. The authorized-operations bit fields
/// of Metadata, DescribeGroups, ConsumerGroupDescribe and DescribeCluster set bit n for the operation with code n.
/// </summary>
public enum AclOperation : byte
{
    /// <summary>A code this broker does not know.</summary>
    Unknown = 0,

    /// <summary>Filters only: any operation.</summary>
    Any = 1,

    /// <summary>Every operation.</summary>
    All = 2,

    /// <summary>Read: fetch from a topic, join and commit in a group.</summary>
    Read = 3,

    /// <summary>Write: produce to a topic, use a transactional id.</summary>
    Write = 4,

    /// <summary>Create topics.</summary>
    Create = 5,

    /// <summary>Delete topics, records or groups.</summary>
    Delete = 6,

    /// <summary>Alter: add partitions, create and delete ACLs (on the cluster).</summary>
    Alter = 7,

    /// <summary>Describe: see that a resource exists and its state; implied by read, write, delete and alter.</summary>
    Describe = 8,

    /// <summary>Inter-broker actions on the cluster.</summary>
    ClusterAction = 9,

    /// <summary>Describe configuration; implied by alter configs.</summary>
    DescribeConfigs = 10,

    /// <summary>Alter configuration.</summary>
    AlterConfigs = 11,

    /// <summary>Idempotent produce without a transactional id (on the cluster).</summary>
    IdempotentWrite = 12,

    /// <summary>Create delegation tokens.</summary>
    CreateTokens = 13,

    /// <summary>Describe delegation tokens.</summary>
    DescribeTokens = 14,
}
