using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;

namespace Freshet.Streaming;

/// <summary>
/// Two streams of possibly different types processed by one operator (Flink's <c>ConnectedStreams</c>): each record
/// goes to the function of its input; the operator's watermark is the minimum of both inputs' watermarks. Made by
/// <see cref="DataStream{T}.Connect{T2}"/>.
/// </summary>
public sealed class ConnectedStreams<T1, T2>
{
    internal ConnectedStreams(DataStream<T1> first, DataStream<T2> second)
    {
        First = first;
        Second = second;
    }

    /// <summary>The first input.</summary>
    public DataStream<T1> First { get; }

    /// <summary>The second input.</summary>
    public DataStream<T2> Second { get; }

    /// <summary>One output per record of either input (Flink's <c>CoMapFunction</c>).</summary>
    public DataStream<TOut> Map<TOut>(Func<T1, TOut> map1, Func<T2, TOut> map2)
    {
        ArgumentNullException.ThrowIfNull(map1);
        ArgumentNullException.ThrowIfNull(map2);
        return Unkeyed<TOut>("CoMap", (setup, next) => new MapOperator<TaggedUnion<T1, T2>, TOut>(setup, u => u.IsSecond ? map2(u.Second) : map1(u.First), next));
    }

    /// <summary>Zero or more outputs per record of either input (Flink's <c>CoFlatMapFunction</c>).</summary>
    public DataStream<TOut> FlatMap<TOut>(Action<T1, Collector<TOut>> flatMap1, Action<T2, Collector<TOut>> flatMap2)
    {
        ArgumentNullException.ThrowIfNull(flatMap1);
        ArgumentNullException.ThrowIfNull(flatMap2);
        return Unkeyed<TOut>("CoFlatMap", (setup, next) => new FlatMapOperator<TaggedUnion<T1, T2>, TOut>(
            setup,
            (u, output) =>
            {
                if (u.IsSecond)
                {
                    flatMap2(u.Second, output);
                }
                else
                {
                    flatMap1(u.First, output);
                }
            },
            next));
    }

    /// <summary>
    /// Partitions both inputs by key so that records with equal keys from either input meet in one subtask, with
    /// keyed state and timers shared by both (Flink's <c>connect(...).keyBy(k1, k2)</c>). Key types are those of
    /// <see cref="DataStream{T}.KeyBy{TKey}"/>.
    /// </summary>
    public KeyedConnectedStreams<TKey, T1, T2> KeyBy<TKey>(Func<T1, TKey> keySelector1, Func<T2, TKey> keySelector2)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(keySelector1);
        ArgumentNullException.ThrowIfNull(keySelector2);
        return new KeyedConnectedStreams<TKey, T1, T2>(this, keySelector1, keySelector2);
    }

    private DataStream<TOut> Unkeyed<TOut>(string name, Func<OperatorSetup, Operator<TOut>, Operator<TaggedUnion<T1, T2>>> factory)
    {
        var env = First.Environment;
        return env.Add(new TwoInputTransformation<T1, T2, TOut>(env.NextId(), name, env.Options.Parallelism, First.Node, Second.Node, InputPartitioning.Default, InputPartitioning.Default, factory));
    }
}

/// <summary>Two connected streams partitioned by key (Flink's keyed <c>ConnectedStreams</c>); finished by <see cref="Process{TOut}"/>.</summary>
public sealed class KeyedConnectedStreams<TKey, T1, T2>
    where TKey : notnull
{
    private readonly ConnectedStreams<T1, T2> _streams;
    private readonly Func<T1, TKey> _key1;
    private readonly Func<T2, TKey> _key2;

    internal KeyedConnectedStreams(ConnectedStreams<T1, T2> streams, Func<T1, TKey> key1, Func<T2, TKey> key2)
    {
        _streams = streams;
        _key1 = key1;
        _key2 = key2;
    }

    /// <summary>Runs <paramref name="function"/> on every record of both inputs with keyed state and timers.</summary>
    public DataStream<TOut> Process<TOut>(KeyedCoProcessFunction<TKey, T1, T2, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var key = KeyOfEither();
        return Keyed<TOut>("KeyedCoProcess", (setup, next) => new KeyedProcessOperator<TKey, TaggedUnion<T1, T2>, TOut>(setup, new CoProcessAdapter<TKey, T1, T2, TOut>(function.CopyForSubtask()), key, next));
    }

    /// <summary>The key of a record of either input.</summary>
    internal Func<TaggedUnion<T1, T2>, TKey> KeyOfEither()
    {
        var key1 = _key1;
        var key2 = _key2;
        return u => u.IsSecond ? key2(u.Second) : key1(u.First);
    }

    /// <summary>Both inputs merged into one stream of tagged records, already partitioned by key.</summary>
    internal KeyedStream<TKey, TaggedUnion<T1, T2>> AsKeyedStream()
    {
        var merged = Keyed<TaggedUnion<T1, T2>>("Connect", static (setup, next) => new MapOperator<TaggedUnion<T1, T2>, TaggedUnion<T1, T2>>(setup, static u => u, next));
        return new KeyedStream<TKey, TaggedUnion<T1, T2>>(merged, KeyOfEither(), alreadyPartitioned: true);
    }

    private DataStream<TOut> Keyed<TOut>(string name, Func<OperatorSetup, Operator<TOut>, Operator<TaggedUnion<T1, T2>>> factory)
    {
        var env = _streams.First.Environment;
        var key1 = _key1;
        var key2 = _key2;
        return env.Add(new TwoInputTransformation<T1, T2, TOut>(
            env.NextId(),
            name,
            env.Options.Parallelism,
            _streams.First.Node,
            _streams.Second.Node,
            InputPartitioning.Hash,
            InputPartitioning.Hash,
            factory,
            (parallelism, maxParallelism) => new KeyGroupRouter<T1, TKey>(key1, maxParallelism, parallelism),
            (parallelism, maxParallelism) => new KeyGroupRouter<T2, TKey>(key2, maxParallelism, parallelism))
        {
            KeyType = typeof(TKey),
        });
    }

    /// <summary>Presents a <see cref="KeyedCoProcessFunction{TKey, TIn1, TIn2, TOut}"/> as a one-input function over tagged records.</summary>
    private sealed class CoProcessAdapter<TK, TA, TB, TO>(KeyedCoProcessFunction<TK, TA, TB, TO> function) : KeyedProcessFunction<TK, TaggedUnion<TA, TB>, TO>
    {
        public override void Open(RuntimeContext context) => function.Open(context);

        public override void ProcessElement(TaggedUnion<TA, TB> value, KeyedProcessContext<TK> context, Collector<TO> output)
        {
            if (value.IsSecond)
            {
                function.ProcessElement2(value.Second, context, output);
            }
            else
            {
                function.ProcessElement1(value.First, context, output);
            }
        }

        public override void OnTimer(long timestamp, KeyedProcessContext<TK> context, Collector<TO> output) => function.OnTimer(timestamp, context, output);
    }
}
