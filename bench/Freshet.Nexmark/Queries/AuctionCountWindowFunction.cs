using Freshet.Streaming.Functions;

namespace Freshet.Nexmark.Queries;

/// <summary>Labels q5's per-auction bid count with its window.</summary>
internal sealed class AuctionCountWindowFunction : ProcessWindowFunction<long, Q5Result, long>
{
    public override void Process(long key, ProcessWindowContext context, IReadOnlyList<long> elements, Collector<Q5Result> output) =>
        output.Collect(new Q5Result(key, elements[0], context.Window.Start, context.Window.End));
}
