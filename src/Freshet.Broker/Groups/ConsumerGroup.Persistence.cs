using Freshet.Log;
using Freshet.Log.Groups;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Groups;

/// <summary>The group's metadata in the log: rebuilt from it after a restart, written when a generation completes, a static member is replaced or the group becomes empty.</summary>
internal sealed partial class ConsumerGroup
{
    /// <summary>
    /// Rebuilds a group from its stored metadata after a restart: Stable with its members (each with a
    /// session deadline of <paramref name="nowMs"/> plus its session timeout), or Empty.
    /// </summary>
    public static ConsumerGroup Restore(string groupId, GroupMetadata stored, long initialRebalanceDelayMs, GroupOffsetStore? store, long nowMs, ILogger? logger = null)
    {
        var group = new ConsumerGroup(groupId, initialRebalanceDelayMs, store, logger)
        {
            GenerationId = stored.Generation,
            ProtocolType = stored.ProtocolType,
            ProtocolName = stored.Protocol ?? "",
            LeaderId = stored.Leader ?? "",
            _stateTimestampMs = stored.CurrentStateTimestampMs,
        };
        foreach (var saved in stored.Members)
        {
            var join = new JoinGroupRequestData(
                groupId,
                saved.MemberId,
                saved.GroupInstanceId,
                saved.ClientId,
                saved.ClientHost,
                saved.SessionTimeoutMs,
                saved.RebalanceTimeoutMs,
                stored.ProtocolType,
                [new MemberProtocol(group.ProtocolName, saved.Subscription)],
                RequireKnownMemberId: false);
            var member = new GroupMember(saved.MemberId, join)
            {
                Assignment = saved.Assignment,
                SessionDeadlineMs = nowMs + saved.SessionTimeoutMs,
            };
            group._members[member.MemberId] = member;
            if (member.GroupInstanceId is { } instanceId)
            {
                group._staticMembers[instanceId] = member.MemberId;
            }
        }

        group.State = group._members.Count > 0 && group.ProtocolName.Length > 0 ? GroupState.Stable : GroupState.Empty;
        if (group.State == GroupState.Empty)
        {
            group._members.Clear();
            group._staticMembers.Clear();
        }
        else if (!group._members.ContainsKey(group.LeaderId))
        {
            group.LeaderId = group._members.Keys.First();
        }

        return group;
    }

    /// <summary>
    /// Writes the group's metadata as it will be once in <paramref name="state"/> (default: the current
    /// state); returns NONE, or the error to answer with when the store refused it.
    /// </summary>
    private short PersistLocked(long nowMs, GroupState? state = null)
    {
        if (_store is null)
        {
            return GroupErrorCode.None;
        }

        var empty = _members.Count == 0;
        var members = new GroupMemberMetadata[_members.Count];
        var i = 0;
        foreach (var member in _members.Values)
        {
            members[i++] = new GroupMemberMetadata(
                member.MemberId,
                member.GroupInstanceId,
                member.ClientId,
                member.ClientHost,
                member.RebalanceTimeoutMs,
                member.SessionTimeoutMs,
                member.MetadataFor(ProtocolName),
                member.Assignment);
        }

        var timestamp = state is not null && state != State ? nowMs : _stateTimestampMs;
        var metadata = new GroupMetadata(ProtocolType, GenerationId, empty ? null : ProtocolName, empty ? null : LeaderId, timestamp, members);
        try
        {
            _store.StoreGroupMetadata(GroupId, metadata);
            return GroupErrorCode.None;
        }
        catch (LogException e) when (e.ErrorCode == LogErrorCode.MessageTooLarge)
        {
            return GroupErrorCode.UnknownServerError;
        }
        catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return GroupErrorCode.CoordinatorNotAvailable;
        }
    }
}
