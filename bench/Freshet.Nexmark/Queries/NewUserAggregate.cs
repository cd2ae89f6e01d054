using Freshet.Nexmark.Model;
using Freshet.Streaming.Functions;

namespace Freshet.Nexmark.Queries;

/// <summary>q8's accumulator per person id and window: the person's name if they registered in it, and whether they opened an auction in it.</summary>
internal sealed class NewUserAggregate : IAggregateFunction<NexmarkEvent, (string? Name, bool OpenedAuction), (string? Name, bool OpenedAuction)>
{
    public (string? Name, bool OpenedAuction) CreateAccumulator() => (null, false);

    public (string? Name, bool OpenedAuction) Add(NexmarkEvent value, (string? Name, bool OpenedAuction) accumulator) =>
        value.Kind == EventKind.Person ? (value.Person!.Name, accumulator.OpenedAuction) : (accumulator.Name, true);

    public (string? Name, bool OpenedAuction) GetResult((string? Name, bool OpenedAuction) accumulator) => accumulator;

    public (string? Name, bool OpenedAuction) Merge((string? Name, bool OpenedAuction) a, (string? Name, bool OpenedAuction) b) =>
        (a.Name ?? b.Name, a.OpenedAuction || b.OpenedAuction);
}
