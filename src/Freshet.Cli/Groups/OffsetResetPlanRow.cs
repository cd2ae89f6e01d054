namespace Freshet.Cli.Groups;

/// <summary>One partition of a <c>freshet groups reset-offsets</c> plan.</summary>
/// <param name="CurrentOffset">The group's committed offset now; null when it has none.</param>
/// <param name="NewOffset">The offset the group will have committed after the reset.</param>
internal sealed record OffsetResetPlanRow(TopicPartitionId Partition, long? CurrentOffset, long NewOffset);
