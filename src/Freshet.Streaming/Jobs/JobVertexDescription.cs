namespace Freshet.Streaming.Jobs;

/// <summary>
/// One vertex of a <see cref="JobGraphDescription"/>: a chain of operators that runs as one task per subtask. Immutable.
/// </summary>
/// <param name="Id">The vertex's id: the id of the chain's first operator in the job graph (stable while the job's code does not change); <see cref="TaskMetrics.VertexId"/> refers to it.</param>
/// <param name="Name">The name of the chain's first operator (a source's name, or the operator behind an exchange).</param>
/// <param name="OperatorNames">Every operator of the chain, first one first, then the operators it calls directly (depth first; side outputs included).</param>
/// <param name="Parallelism">Number of subtasks (tasks) of the vertex.</param>
/// <param name="IsSource">Whether the chain starts at a source.</param>
/// <param name="IsSink">Whether the chain holds a sink (<c>SinkTo</c>, <c>Print</c>, the connectors' sinks).</param>
public sealed record JobVertexDescription(int Id, string Name, IReadOnlyList<string> OperatorNames, int Parallelism, bool IsSource, bool IsSink);
