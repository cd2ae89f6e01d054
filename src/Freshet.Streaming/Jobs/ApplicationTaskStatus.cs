namespace Freshet.Streaming.Jobs;

/// <summary>One application task this instance runs (see <see cref="ApplicationInstanceStatus"/>).</summary>
/// <param name="TaskId">The task: <c>{sub-topology}_{partition}</c>, as Kafka Streams prints it.</param>
/// <param name="State">Where the task is in its life here.</param>
/// <param name="RestoredRecords">Changelog records its last restore read.</param>
/// <param name="Commits">Commits since its last start here.</param>
/// <param name="Restarts">Times it failed here and started again from its changelogs.</param>
/// <param name="InputLag">
/// Records in its input partitions (its partition of each source and repartition topic) beyond the offsets the
/// application has committed, as <c>kafka-consumer-groups --describe</c> reports lag; refreshed every second, -1
/// before the first refresh.
/// </param>
public sealed record ApplicationTaskStatus(string TaskId, ApplicationTaskState State, long RestoredRecords, long Commits, int Restarts, long InputLag);
