namespace Freshet.Streaming.Tables;

/// <summary>
/// What a changelog join stores per distinct row of one side and key: how many copies of the row the side holds
/// (<see cref="Count"/>, at least 1 while stored) and, for an outer side, how many rows of the other side (copies
/// counted) it matches (<see cref="Associations"/>; 0 means its copies are currently emitted padded). Flink's
/// <c>OuterJoinRecordStateView</c> keeps the same pair.
/// </summary>
internal readonly record struct JoinRowCount(long Count, long Associations);
