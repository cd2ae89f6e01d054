namespace Freshet.Broker.Security.Authorization;

/// <summary>What an ACL protects, with Kafka's <c>ResourceType</c> codes (the wire value of the ACL APIs).</summary>
public enum AclResourceType : byte
{
    /// <summary>A code this broker does not know.</summary>
    Unknown = 0,

    /// <summary>Filters only: any resource type.</summary>
    Any = 1,

    /// <summary>A topic, named by the topic name.</summary>
    Topic = 2,

    /// <summary>A consumer group, named by the group id.</summary>
    Group = 3,

    /// <summary>The cluster, always named <c>kafka-cluster</c>.</summary>
    Cluster = 4,

    /// <summary>A transactional id of a transactional producer.</summary>
    TransactionalId = 5,

    /// <summary>A delegation token (not served by Freshet; accepted in ACLs for Kafka compatibility).</summary>
    DelegationToken = 6,

    /// <summary>A user, for SCRAM credential and token APIs (ACL API v3+).</summary>
    User = 7,
}
