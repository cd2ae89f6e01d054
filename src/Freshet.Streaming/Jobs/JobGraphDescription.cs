namespace Freshet.Streaming.Jobs;

/// <summary>
/// A job as planned (see <see cref="JobHandle.GetJobGraph"/>): its vertices — one per task, that is one per chain of
/// operators that run in one thread per subtask — and the exchanges between them. Immutable.
/// </summary>
/// <param name="Vertices">The vertices in plan order (sources first).</param>
/// <param name="Edges">The exchanges between vertices; chained operators are inside a vertex and have no edge.</param>
public sealed record JobGraphDescription(IReadOnlyList<JobVertexDescription> Vertices, IReadOnlyList<JobEdgeDescription> Edges);
