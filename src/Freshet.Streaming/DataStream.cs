using Freshet.Streaming.Connectors.Print;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming;

/// <summary>
/// A stream of <typeparamref name="T"/> in the job graph (Flink's <c>DataStream</c>). Each method adds a node and
/// returns the stream it produces; nothing runs until <see cref="StreamEnvironment.ExecuteAsync"/>. A new operator gets
/// the environment's parallelism; its input is forwarded (same task, direct calls) when the parallelism is equal and
/// rebalanced otherwise. User functions run on task threads, one instance per operator shared by its subtasks — keep
/// them free of mutable state (use keyed state instead).
/// </summary>
public sealed partial class DataStream<T>
{
    private readonly Transformation<T> _node;

    internal DataStream(StreamEnvironment environment, Transformation<T> node)
    {
        Environment = environment;
        _node = node;
    }

    /// <summary>The environment the stream belongs to.</summary>
    public StreamEnvironment Environment { get; }

    /// <summary>The name of the operator producing the stream.</summary>
    public string Name => _node.Name;

    /// <summary>The parallelism of the operator producing the stream.</summary>
    public int Parallelism => _node.Parallelism;

    internal Transformation<T> Node => _node;

    /// <summary>Sets the parallelism of the operator producing this stream.</summary>
    /// <exception cref="InvalidOperationException">The operator has a fixed parallelism (a collection source, a side output).</exception>
    public DataStream<T> SetParallelism(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, Environment.Options.MaxParallelism);
        if (_node.FixedParallelism && parallelism != _node.Parallelism)
        {
            throw new InvalidOperationException($"'{_node.Name}' runs with parallelism {_node.Parallelism} only.");
        }

        _node.Parallelism = parallelism;
        return this;
    }

    /// <summary>Names the operator producing this stream (in metrics, errors and thread names).</summary>
    public DataStream<T> WithName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _node.Name = name;
        return this;
    }

    /// <summary>
    /// Gives the operator producing this stream a stable id (Flink's <c>uid</c>): checkpoints and savepoints store its
    /// state under it, so the state maps onto a changed version of the job. Without one, the id is derived from the
    /// operator's position in the job graph and its name, which change when operators are added or renamed. Unique
    /// within a job.
    /// </summary>
    public DataStream<T> Uid(string uid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        _node.ExplicitUid = uid;
        return this;
    }

    /// <summary>One output per record (LINQ's <c>Select</c>).</summary>
    public DataStream<TOut> Map<TOut>(Func<T, TOut> mapper)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        return Then<TOut>("Map", (setup, next) => new MapOperator<T, TOut>(setup, mapper, next));
    }

    /// <summary>The records for which <paramref name="predicate"/> holds (LINQ's <c>Where</c>).</summary>
    public DataStream<T> Filter(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Then<T>("Filter", (setup, next) => new FilterOperator<T>(setup, predicate, next));
    }

    /// <summary>Zero or more outputs per record, emitted through the collector (LINQ's <c>SelectMany</c>).</summary>
    public DataStream<TOut> FlatMap<TOut>(Action<T, Collector<TOut>> flatMapper)
    {
        ArgumentNullException.ThrowIfNull(flatMapper);
        return Then<TOut>("FlatMap", (setup, next) => new FlatMapOperator<T, TOut>(setup, flatMapper, next));
    }

    /// <summary>
    /// Partitions the stream by key: records with equal keys go to the same subtask of the next operator, by key group.
    /// A key's key group comes from a hash of its value that is the same in every process (docs/engine.md, "Keys"):
    /// keys are primitives, strings, <see cref="Guid"/>, enums, decimals, dates and times, byte arrays, nullables, and
    /// tuples, records and structs of those; other types implement <see cref="IStableHashable"/>.
    /// <see cref="StreamEnvironment.ExecuteAsync"/> refuses a key type it cannot hash stably, saying why.
    /// </summary>
    public KeyedStream<TKey, T> KeyBy<TKey>(Func<T, TKey> keySelector)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector);
        return new KeyedStream<TKey, T>(this, keySelector);
    }

    /// <summary>Distributes records round robin over the next operator's subtasks.</summary>
    public DataStream<T> Rebalance()
    {
        var node = new OneInputTransformation<T, T>(Environment.NextId(), "Rebalance", Environment.Options.Parallelism, _node, InputPartitioning.Rebalance, (setup, next) => new MapOperator<T, T>(setup, static v => v, next));
        return Environment.Add(node);
    }

    /// <summary>The side output <paramref name="tag"/> of the operator producing this stream (empty if it emits none).</summary>
    public DataStream<TSide> GetSideOutput<TSide>(OutputTag<TSide> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var side = _node.GetOrAddSideOutput(tag.Id, () =>
        {
            var created = new SideOutputTransformation<TSide>(Environment.NextId(), $"{_node.Name}: {tag.Id}", _node, tag.Id);
            Environment.Register(created);
            return created;
        });
        if (side is not SideOutputTransformation<TSide> typed)
        {
            throw new InvalidOperationException($"Side output '{tag.Id}' was already requested with another type.");
        }

        return new DataStream<TSide>(Environment, typed);
    }

    /// <summary>Writes the stream to <paramref name="sink"/>.</summary>
    public DataStreamSink SinkTo(Sink<T> sink, string name = "Sink")
    {
        ArgumentNullException.ThrowIfNull(sink);
        var node = new OneInputTransformation<T, T>(Environment.NextId(), name, Environment.Options.Parallelism, _node, InputPartitioning.Default, (setup, _) => new SinkOperator<T>(setup, sink))
        {
            IsSink = true,
        };
        Environment.Register(node);
        return new DataStreamSink(node);
    }

    /// <summary>Prints each record to standard output as <c>prefix:subtask&gt; record</c> (Flink's <c>print()</c>).</summary>
    public DataStreamSink Print(string? prefix = null) => SinkTo(new ConsoleSink<T>(prefix), "Print");

    private DataStream<TOut> Then<TOut>(string name, Func<OperatorSetup, Operator<TOut>, Operator<T>> factory)
    {
        var node = new OneInputTransformation<T, TOut>(Environment.NextId(), name, Environment.Options.Parallelism, _node, InputPartitioning.Default, factory);
        return Environment.Add(node);
    }
}
