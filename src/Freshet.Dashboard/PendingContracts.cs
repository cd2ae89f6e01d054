// Temporary stand-ins for the introspection API the engine and broker branches are adding; removed when they merge.
#pragma warning disable CS1591, CA1812, CA1024, CA1822, IDE0005
using Freshet.Broker;
using Freshet.Streaming.Jobs;

namespace Freshet.Streaming.Jobs
{
    public sealed record JobGraphDescription(IReadOnlyList<JobVertexDescription> Vertices, IReadOnlyList<JobEdgeDescription> Edges);
    public sealed record JobVertexDescription(int Id, string Name, IReadOnlyList<string> OperatorNames, int Parallelism, bool IsSource, bool IsSink);
    public sealed record JobEdgeDescription(int SourceVertexId, int TargetVertexId, string Partitioning);
    public sealed record TaskMetrics(int VertexId, int Subtask, long RecordsIn, long RecordsOut, long CurrentWatermark, TimeSpan BusyTime, TimeSpan IdleTime, TimeSpan BackpressuredTime, int InputQueueLength);
    public enum CheckpointOutcome { InProgress, Completed, Failed }
    public sealed record CheckpointHistoryEntry(long CheckpointId, bool IsSavepoint, CheckpointOutcome Outcome, DateTimeOffset TriggeredAt, TimeSpan? Duration, long StateBytes, TimeSpan Alignment, TimeSpan SyncPhase, TimeSpan AsyncPhase, string? FailureReason);
    public sealed record JobExceptionEntry(DateTimeOffset Timestamp, string ExceptionType, string Message, string Details, string? TaskName, bool Restarted);

    public static class PendingJobHandleContract
    {
        private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;
        extension(JobHandle job)
        {
            public DateTimeOffset StartTime => Started;
        }
        public static JobGraphDescription GetJobGraph(this JobHandle job)
        {
            var names = job.GetMetrics().Select(m => (m.OperatorName, m.Parallelism)).Distinct().ToList();
            var vertices = names.Select((n, i) => new JobVertexDescription(i + 1, n.OperatorName, [n.OperatorName], n.Parallelism, i == 0, i == names.Count - 1)).ToList();
            var edges = vertices.Skip(1).Select(v => new JobEdgeDescription(v.Id - 1, v.Id, v.Id % 2 == 0 ? "HASH" : "FORWARD")).ToList();
            return new JobGraphDescription(vertices, edges);
        }
        public static IReadOnlyList<TaskMetrics> GetTaskMetrics(this JobHandle job)
        {
            var graph = job.GetJobGraph();
            var elapsed = DateTimeOffset.UtcNow - Started;
            return job.GetMetrics().Select(m => new TaskMetrics(graph.Vertices.First(v => v.Name == m.OperatorName).Id, m.Subtask, m.RecordsIn, m.RecordsOut, m.CurrentWatermark, elapsed * 0.3, elapsed * 0.5, elapsed * 0.2, 3)).ToList();
        }
        public static IReadOnlyList<CheckpointHistoryEntry> GetCheckpointHistory(this JobHandle job) => [];
        public static IReadOnlyList<JobExceptionEntry> GetExceptionHistory(this JobHandle job) => [];
    }
}

namespace Freshet.Broker.Inspection
{
    public sealed record TopicOverview(string Name, bool IsInternal, IReadOnlyList<PartitionOverview> Partitions);
    public sealed record PartitionOverview(int Partition, long LogStartOffset, long LogEndOffset, long LastStableOffset, long SizeBytes, int SegmentCount);
    public sealed record GroupOverview(string GroupId, string State, string ProtocolType, string? Protocol, IReadOnlyList<GroupMemberOverview> Members, IReadOnlyList<GroupPartitionLag> Offsets);
    public sealed record GroupMemberOverview(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, IReadOnlyList<TopicPartitionReference> Assignment);
    public sealed record TopicPartitionReference(string Topic, int Partition);
    public sealed record GroupPartitionLag(string Topic, int Partition, long CommittedOffset, long LogEndOffset, long Lag);
    public sealed record TransactionOverview(string TransactionalId, long ProducerId, short ProducerEpoch, string State, DateTimeOffset? StartedAt, IReadOnlyList<TopicPartitionReference> Partitions);

    public static class PendingKafkaBrokerContract
    {
        public static IReadOnlyList<TopicOverview> DescribeTopics(this KafkaBroker broker) => [new("demo", false, [new(0, 0, 42, 42, 4096, 1)])];
        public static IReadOnlyList<GroupOverview> DescribeGroups(this KafkaBroker broker) => [];
        public static IReadOnlyList<TransactionOverview> DescribeTransactions(this KafkaBroker broker) => [];
    }
}
