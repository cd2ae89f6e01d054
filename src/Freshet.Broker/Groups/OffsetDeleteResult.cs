namespace Freshet.Broker.Groups;

/// <summary>
/// The answer to an OffsetDelete (KIP-496): a group-level error, or NONE with one code per requested
/// partition (NONE: the committed offset is gone or there was none; GROUP_SUBSCRIBED_TO_TOPIC: a member
/// consumes that topic).
/// </summary>
internal sealed record OffsetDeleteResult(short ErrorCode, IReadOnlyList<short> PartitionErrors);
