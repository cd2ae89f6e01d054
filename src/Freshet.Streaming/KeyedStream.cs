using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming;

/// <summary>
/// A stream partitioned by key (Flink's <c>KeyedStream</c>): the next operator sees all records of a key in one
/// subtask, in order per sending subtask, and keeps state per key.
/// </summary>
public sealed partial class KeyedStream<TKey, T>
    where TKey : notnull
{
    private readonly DataStream<T> _input;

    internal KeyedStream(DataStream<T> input, Func<T, TKey> keySelector)
        : this(input, keySelector, alreadyPartitioned: false)
    {
    }

    /// <param name="alreadyPartitioned">
    /// True when <paramref name="input"/> is already distributed by this key (the output of a keyed two-input node):
    /// the next operator then chains to it instead of adding an exchange (Flink's <c>reinterpretAsKeyedStream</c>).
    /// </param>
    internal KeyedStream(DataStream<T> input, Func<T, TKey> keySelector, bool alreadyPartitioned)
    {
        _input = input;
        KeySelector = keySelector;
        _alreadyPartitioned = alreadyPartitioned;
    }

    private readonly bool _alreadyPartitioned;

    internal Func<T, TKey> KeySelector { get; }

    internal DataStream<T> Input => _input;

    /// <summary>Rolling reduce: per key, emits the reduction of all records so far after each record.</summary>
    public DataStream<T> Reduce(Func<T, T, T> reducer)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        var keySelector = KeySelector;
        return Keyed<T>("Reduce", (setup, next) => new RollingAggregateOperator<TKey, T, T, T>(setup, keySelector, static v => v, (v, acc) => reducer(acc, v), static acc => acc, next));
    }

    /// <summary>Rolling aggregate: per key, emits <c>GetResult</c> of the accumulator after each record.</summary>
    public DataStream<TOut> Aggregate<TAcc, TOut>(IAggregateFunction<T, TAcc, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var keySelector = KeySelector;
        return Keyed<TOut>("Aggregate", (setup, next) => new RollingAggregateOperator<TKey, T, TAcc, TOut>(setup, keySelector, v => function.Add(v, function.CreateAccumulator()), function.Add, function.GetResult, next));
    }

    /// <summary>Runs <paramref name="function"/> per record with keyed state and timers.</summary>
    public DataStream<TOut> Process<TOut>(KeyedProcessFunction<TKey, T, TOut> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var keySelector = KeySelector;
        return Keyed<TOut>("KeyedProcess", (setup, next) => new KeyedProcessOperator<TKey, T, TOut>(setup, function.CopyForSubtask(), keySelector, next));
    }

    /// <summary>Groups each key's records into event-time windows.</summary>
    public WindowedStream<TKey, T> Window(WindowAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new WindowedStream<TKey, T>(this, assigner);
    }

    internal DataStream<TOut> Keyed<TOut>(string name, Func<OperatorSetup, Operator<TOut>, Operator<T>> factory)
    {
        var env = _input.Environment;
        var keySelector = KeySelector;
        var node = new OneInputTransformation<T, TOut>(
            env.NextId(),
            name,
            _alreadyPartitioned ? _input.Parallelism : env.Options.Parallelism,
            _input.Node,
            _alreadyPartitioned ? InputPartitioning.Forward : InputPartitioning.Hash,
            factory,
            (parallelism, maxParallelism) => new KeyGroupRouter<T, TKey>(keySelector, maxParallelism, parallelism))
        {
            KeyType = typeof(TKey),
        };
        return env.Add(node);
    }
}
