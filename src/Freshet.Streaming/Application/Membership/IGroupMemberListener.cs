namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// What a <see cref="GroupMember"/> asks of the application: its metadata before each join, the assignment when it
/// leads, and the news of assignment and revocation.
/// </summary>
/// <remarks>
/// Threading: every call comes from the member's own loop (or from <see cref="GroupMember.LeaveAsync(bool, CancellationToken)"/>
/// and <see cref="GroupMember.DisposeAsync"/> after the loop ended), one at a time, never concurrently. Calls must
/// return quickly: while one runs the member sends no heartbeat, and a call longer than the session timeout costs
/// the membership. Long work (restoring state, stopping tasks) belongs on other threads, started from the call.
/// <para>
/// Order: <see cref="OnAssigned"/> and <see cref="OnRevoked"/> alternate, starting with <see cref="OnAssigned"/>;
/// every assignment is revoked before the next one arrives (the classic protocol's eager rebalancing) and before the
/// member stops. An exception thrown by any call is fatal to the member (its <see cref="GroupMember.Completion"/>
/// fails with it).
/// </para>
/// </remarks>
internal interface IGroupMemberListener
{
    /// <summary>The metadata this member joins with (Freshet's subscription), asked for before each JoinGroup.</summary>
    byte[] SubscriptionMetadata();

    /// <summary>
    /// Computes every member's assignment; called on the group leader only, once per generation. Members missing
    /// from the result get an empty assignment.
    /// </summary>
    /// <param name="members">Every member of the new generation with its metadata, this one included.</param>
    /// <returns>The assignment bytes per member id.</returns>
    IReadOnlyDictionary<string, byte[]> Assign(IReadOnlyList<GroupMemberMetadata> members);

    /// <summary>The member's assignment for <paramref name="generation"/> arrived (after SyncGroup).</summary>
    void OnAssigned(GroupGeneration generation, byte[] assignment);

    /// <summary>
    /// The last assignment is no longer this member's: a rebalance started, the member was fenced or lost its
    /// session, or it is stopping. From now on the application must not write on behalf of that assignment.
    /// </summary>
    /// <param name="reason">Why, in words for logs.</param>
    void OnRevoked(string reason);
}
