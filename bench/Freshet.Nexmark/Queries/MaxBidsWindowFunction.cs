using Freshet.Streaming.Functions;

namespace Freshet.Nexmark.Queries;

/// <summary>Emits q7's highest bids of a window.</summary>
internal sealed class MaxBidsWindowFunction : ProcessWindowFunction<MaxBidsAggregate.Accumulator, Q7Result, long>
{
    public override void Process(long key, ProcessWindowContext context, IReadOnlyList<MaxBidsAggregate.Accumulator> elements, Collector<Q7Result> output)
    {
        foreach (var bid in elements[0].Bids)
        {
            output.Collect(new Q7Result(bid.Auction, bid.Price, bid.Bidder, bid.DateTime, context.Window.End));
        }
    }
}
