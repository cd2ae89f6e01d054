using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Tables;

/// <summary>Counts rows: +1 per addition, -1 per retraction. Stateless, thread-safe.</summary>
internal sealed class CountAggregate<T> : IRetractableAggregateFunction<T, long, long>
{
    public long CreateAccumulator() => 0;

    public long Add(T value, long accumulator) => accumulator + 1;

    public long Retract(T value, long accumulator) => accumulator - 1;

    public long GetResult(long accumulator) => accumulator;

    public long Merge(long a, long b) => a + b;
}
