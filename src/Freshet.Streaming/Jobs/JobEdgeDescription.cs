namespace Freshet.Streaming.Jobs;

/// <summary>One exchange of a <see cref="JobGraphDescription"/>: records of one vertex sent to the subtasks of another. Immutable.</summary>
/// <param name="SourceVertexId">The sending vertex (<see cref="JobVertexDescription.Id"/>).</param>
/// <param name="TargetVertexId">The receiving vertex.</param>
/// <param name="Partitioning">
/// How records pick the receiving subtask, in upper case as Flink's web UI shows it: <c>HASH</c> (by key group of the
/// key, <c>KeyBy</c>), <c>REBALANCE</c> (round robin; also a default edge between different parallelisms),
/// <c>BROADCAST</c> (every record to every subtask), <c>FORWARD</c> (subtask i to subtask i of a union or connected
/// input at equal parallelism).
/// </param>
public sealed record JobEdgeDescription(int SourceVertexId, int TargetVertexId, string Partitioning);
