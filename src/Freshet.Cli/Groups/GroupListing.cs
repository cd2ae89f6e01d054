namespace Freshet.Cli.Groups;

/// <summary>One consumer group as <c>freshet groups list</c> shows it.</summary>
/// <param name="State">Kafka's group state name: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead, ... (Unknown when the broker does not say).</param>
/// <param name="Type">The group protocol: classic (JoinGroup/SyncGroup) or consumer (KIP-848); Unknown when the broker does not say.</param>
/// <param name="ProtocolType">"consumer" for a group of consumers, empty for a simple group that only stores offsets.</param>
internal sealed record GroupListing(string GroupId, string State, string Type, string ProtocolType);
