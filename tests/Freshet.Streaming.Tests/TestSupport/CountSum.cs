using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Counts and sums the values of <see cref="Ev"/>s, remembering the key.</summary>
public sealed class CountSum : IAggregateFunction<Ev, (string Key, long Count, long Sum), (string Key, long Count, long Sum)>
{
    public (string Key, long Count, long Sum) CreateAccumulator() => (string.Empty, 0, 0);

    public (string Key, long Count, long Sum) Add(Ev value, (string Key, long Count, long Sum) acc) => (value.Key, acc.Count + 1, acc.Sum + value.Value);

    public (string Key, long Count, long Sum) GetResult((string Key, long Count, long Sum) acc) => acc;

    public (string Key, long Count, long Sum) Merge((string Key, long Count, long Sum) a, (string Key, long Count, long Sum) b) => (a.Key, a.Count + b.Count, a.Sum + b.Sum);
}
