using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>The mean of the added values, as an aggregate function with a (sum, count) accumulator.</summary>
public sealed class Average : IAggregateFunction<long, (long Sum, long Count), double>
{
    public (long Sum, long Count) CreateAccumulator() => (0, 0);

    public (long Sum, long Count) Add(long value, (long Sum, long Count) accumulator) => (accumulator.Sum + value, accumulator.Count + 1);

    public double GetResult((long Sum, long Count) accumulator) => (double)accumulator.Sum / accumulator.Count;

    public (long Sum, long Count) Merge((long Sum, long Count) a, (long Sum, long Count) b) => (a.Sum + b.Sum, a.Count + b.Count);
}
