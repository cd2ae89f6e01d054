namespace Freshet.Broker.Groups;

/// <summary>A group as DescribeGroups reports it.</summary>
internal sealed record GroupDescription(string GroupId, string State, string ProtocolType, string Protocol, IReadOnlyList<GroupMemberDescription> Members);
