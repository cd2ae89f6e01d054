using Freshet.Streaming.Functions;

namespace Freshet.Bench.Scaleout;

/// <summary>Count and sum per key and window of the scaleout job's input values; the accumulator carries the key, so the result needs no window function.</summary>
internal sealed class WindowSumAggregate(long keys) : IAggregateFunction<long, WindowSum, WindowSum>
{
    public WindowSum CreateAccumulator() => default;

    public WindowSum Add(long value, WindowSum accumulator) => new(value % keys, accumulator.Count + 1, accumulator.Sum + (value & 0xff), 0);

    public WindowSum GetResult(WindowSum accumulator) => accumulator with { RunningCount = accumulator.Count };

    public WindowSum Merge(WindowSum a, WindowSum b) => new(a.Key, a.Count + b.Count, a.Sum + b.Sum, 0);
}
