using Freshet.Nexmark.Model;
using Freshet.Streaming.Functions;

namespace Freshet.Nexmark.Queries;

/// <summary>Counts bids (q5's per auction and window count).</summary>
internal sealed class BidCountAggregate : IAggregateFunction<Bid, long, long>
{
    public long CreateAccumulator() => 0;

    public long Add(Bid value, long accumulator) => accumulator + 1;

    public long GetResult(long accumulator) => accumulator;

    public long Merge(long a, long b) => a + b;
}
