namespace Freshet.Streaming.Application.Membership;

/// <summary>What a group member does about an error code in a JoinGroup, SyncGroup or Heartbeat answer.</summary>
internal enum GroupErrorAction
{
    /// <summary>No error: carry on.</summary>
    None,

    /// <summary>Join again with the same member id (a rebalance is under way, or the generation moved on).</summary>
    Rejoin,

    /// <summary>Forget the member id and join as a new member (the coordinator no longer knows it).</summary>
    RejoinAsNewMember,

    /// <summary>Find the coordinator again after a backoff (it moved, is loading, or failed transiently).</summary>
    FindCoordinator,

    /// <summary>Stop the member: retrying cannot help (fenced, misconfigured, refused).</summary>
    Fatal,
}
