using Freshet.Streaming.Planning;

namespace Freshet.Streaming;

/// <summary>The end of a stream at a sink: set its name and parallelism.</summary>
public sealed class DataStreamSink
{
    private readonly Transformation _node;

    internal DataStreamSink(Transformation node)
    {
        _node = node;
    }

    /// <summary>The sink's name in metrics and errors.</summary>
    public string Name => _node.Name;

    /// <summary>Sets the sink's parallelism.</summary>
    public DataStreamSink SetParallelism(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _node.Parallelism = parallelism;
        return this;
    }

    /// <summary>Gives the sink a stable id in checkpoints (see <see cref="DataStream{T}.Uid"/>); exactly-once sinks also derive their transactional ids from it.</summary>
    public DataStreamSink Uid(string uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        _node.ExplicitUid = uid;
        return this;
    }

    /// <summary>Sets the sink's name.</summary>
    public DataStreamSink WithName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _node.Name = name;
        return this;
    }
}
