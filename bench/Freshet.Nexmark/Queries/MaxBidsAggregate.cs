using Freshet.Nexmark.Model;
using Freshet.Streaming.Functions;

namespace Freshet.Nexmark.Queries;

/// <summary>q7's accumulator: the highest price so far in a window and every bid with that price.</summary>
internal sealed class MaxBidsAggregate : IAggregateFunction<Bid, MaxBidsAggregate.Accumulator, MaxBidsAggregate.Accumulator>
{
    public Accumulator CreateAccumulator() => new();

    public Accumulator Add(Bid value, Accumulator accumulator)
    {
        if (accumulator.Bids.Count == 0 || value.Price > accumulator.MaxPrice)
        {
            accumulator.Bids.Clear();
            accumulator.MaxPrice = value.Price;
        }

        if (value.Price == accumulator.MaxPrice)
        {
            accumulator.Bids.Add(value);
        }

        return accumulator;
    }

    public Accumulator GetResult(Accumulator accumulator) => accumulator;

    public Accumulator Merge(Accumulator a, Accumulator b)
    {
        foreach (var bid in b.Bids)
        {
            Add(bid, a);
        }

        return a;
    }

    /// <summary>
    /// Mutable per (key, window); owned by the window operator's task thread. Settable members, because on RocksDB (and
    /// in checkpoints) the window contents go through <c>Serializers.Default</c>, JSON, which does not fill a get-only list.
    /// </summary>
    internal sealed class Accumulator
    {
        public long MaxPrice { get; set; }

        public List<Bid> Bids { get; init; } = [];
    }
}
