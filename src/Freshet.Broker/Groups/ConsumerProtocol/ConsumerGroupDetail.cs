namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// A consumer protocol group (KIP-848) as ConsumerGroupDescribe reports it: a snapshot taken under the group's lock.
/// </summary>
/// <param name="State">Empty, Assigning (the target assignment lags the group epoch), Reconciling (some member has not reached the target) or Stable.</param>
/// <param name="GroupEpoch">The group epoch: it rises with every change of membership, subscription or subscribed topic.</param>
/// <param name="AssignmentEpoch">The group epoch the target assignment was computed at.</param>
/// <param name="AssignorName">The server-side assignor the group uses (the members' choice, else the default).</param>
internal sealed record ConsumerGroupDetail(string GroupId, string State, int GroupEpoch, int AssignmentEpoch, string AssignorName, IReadOnlyList<ConsumerMemberDetail> Members);
