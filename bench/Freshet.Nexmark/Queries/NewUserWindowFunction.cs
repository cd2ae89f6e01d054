using Freshet.Streaming.Functions;

namespace Freshet.Nexmark.Queries;

/// <summary>Emits q8's person when both sides were seen in the window.</summary>
internal sealed class NewUserWindowFunction : ProcessWindowFunction<(string? Name, bool OpenedAuction), Q8Result, long>
{
    public override void Process(long key, ProcessWindowContext context, IReadOnlyList<(string? Name, bool OpenedAuction)> elements, Collector<Q8Result> output)
    {
        var (name, openedAuction) = elements[0];
        if (name is not null && openedAuction)
        {
            output.Collect(new Q8Result(key, name, context.Window.Start));
        }
    }
}
