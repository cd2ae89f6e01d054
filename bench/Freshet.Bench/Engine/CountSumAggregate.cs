using Freshet.Streaming.Functions;

namespace Freshet.Bench.Engine;

/// <summary>Count and sum per key and window; the accumulator carries the key so the result needs no window function.</summary>
internal sealed class CountSumAggregate : IAggregateFunction<BenchEvent, WindowCount, WindowCount>
{
    public WindowCount CreateAccumulator() => default;

    public WindowCount Add(BenchEvent value, WindowCount acc) => new(value.Key, 0, acc.Count + 1, acc.Sum + value.Value);

    public WindowCount GetResult(WindowCount acc) => acc;

    public WindowCount Merge(WindowCount a, WindowCount b) => new(a.Key, 0, a.Count + b.Count, a.Sum + b.Sum);
}
