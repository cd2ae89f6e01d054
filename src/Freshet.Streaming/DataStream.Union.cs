using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;

namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>
    /// All records of this stream and of <paramref name="others"/> as one stream (Flink's <c>union</c>). Records of
    /// one input keep their order; across inputs they interleave. The watermark is the minimum over all inputs (idle
    /// inputs left out), and the union ends when every input has ended.
    /// </summary>
    /// <exception cref="ArgumentException">A stream belongs to another environment.</exception>
    public DataStream<T> Union(params DataStream<T>[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var inputs = new List<Transformation> { _node };
        foreach (var other in others)
        {
            ArgumentNullException.ThrowIfNull(other, nameof(others));
            RequireSameEnvironment(other.Environment);
            inputs.Add(other._node);
        }

        return Environment.Add(new UnionTransformation<T>(Environment.NextId(), "Union", Environment.Options.Parallelism, inputs));
    }

    /// <summary>
    /// Sends every record to every subtask of the next operator (Flink's <c>broadcast()</c>), e.g. rules or
    /// configuration that each subtask needs in full.
    /// </summary>
    public DataStream<T> Broadcast() => PassThrough("Broadcast", InputPartitioning.Broadcast);

    /// <summary>
    /// Keeps subtask i's records in subtask i of the next operator, in the same task (Flink's <c>forward()</c>). The
    /// job fails to start when the parallelism of the two differs.
    /// </summary>
    public DataStream<T> Forward() => PassThrough("Forward", InputPartitioning.Forward);

    internal void RequireSameEnvironment(StreamEnvironment other)
    {
        if (!ReferenceEquals(other, Environment))
        {
            throw new ArgumentException("Streams of different environments cannot be combined.");
        }
    }

    private DataStream<T> PassThrough(string name, InputPartitioning partitioning)
    {
        var node = new OneInputTransformation<T, T>(Environment.NextId(), name, Environment.Options.Parallelism, _node, partitioning, (setup, next) => new MapOperator<T, T>(setup, static v => v, next));
        return Environment.Add(node);
    }
}
