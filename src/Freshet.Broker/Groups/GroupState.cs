namespace Freshet.Broker.Groups;

/// <summary>
/// The states of a classic consumer group, as in Kafka's group coordinator:
/// <c>Empty → PreparingRebalance → CompletingRebalance → Stable</c>, back to
/// <c>PreparingRebalance</c> whenever membership or metadata changes, and <c>Empty</c> when the last
/// member leaves.
/// </summary>
internal enum GroupState
{
    /// <summary>No members; committed offsets may still exist.</summary>
    Empty,

    /// <summary>A rebalance started: waiting for every member to (re)join, or for the rebalance timeout.</summary>
    PreparingRebalance,

    /// <summary>Join responses sent: waiting for the leader's SyncGroup with the assignment.</summary>
    CompletingRebalance,

    /// <summary>Every member has its assignment; heartbeats keep members alive.</summary>
    Stable,

    /// <summary>Deleted (DeleteGroups): every call on this instance gets COORDINATOR_NOT_AVAILABLE, and a later JoinGroup starts a new group.</summary>
    Dead,
}
