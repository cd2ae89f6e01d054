using System.Globalization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>
/// One state of each kind in one keyed backend, with a description of everything they hold (one line per state and
/// key) to compare two backends by reads of every key.
/// </summary>
internal sealed class ChangelogTestStates
{
    public static readonly string[] Names = ["value", "list", "map", "reducing", "aggregating"];

    private readonly IKeyedStateBackend<string> _backend;
    private readonly KeyContext<string> _key;

    public ChangelogTestStates(IKeyedStateBackend<string> backend, KeyContext<string> key)
    {
        _backend = backend;
        _key = key;
        Value = backend.GetValueState(new ValueStateDescriptor<long>("value", -1));
        List = backend.GetListState(new ListStateDescriptor<string>("list"));
        Map = backend.GetMapState(new MapStateDescriptor<int, string>("map"));
        Reducing = backend.GetReducingState(new ReducingStateDescriptor<long>("reducing", static (a, b) => a + b));
        Aggregating = backend.GetAggregatingState(new AggregatingStateDescriptor<long, (long Sum, long Count), double>("aggregating", new Average()));
    }

    public ValueState<long> Value { get; }

    public ListState<string> List { get; }

    public MapState<int, string> Map { get; }

    public ReducingState<long> Reducing { get; }

    public AggregatingState<long, double> Aggregating { get; }

    /// <summary>Every (state, key) with contents, described, sorted; leaves no key set.</summary>
    public List<string> Describe()
    {
        var lines = new List<string>();
        foreach (var name in Names)
        {
            foreach (var key in _backend.GetKeys(name).ToArray())
            {
                _key.Current = key;
                _key.IsSet = true;
                var contents = name switch
                {
                    "value" => Value.HasValue ? Value.Value.ToString(CultureInfo.InvariantCulture) : null,
                    "list" => List.Get() is { Count: > 0 } elements ? string.Join(",", elements) : null,
                    "map" => Map.Entries() is { Count: > 0 } entries ? string.Join(",", entries.OrderBy(e => e.Key).Select(e => $"{e.Key}:{e.Value}")) : null,
                    "reducing" => Reducing.TryGet(out var reduced) ? reduced.ToString(CultureInfo.InvariantCulture) : null,
                    _ => Aggregating.TryGet(out var mean) ? mean.ToString("R", CultureInfo.InvariantCulture) : null,
                };
                if (contents is not null)
                {
                    lines.Add($"{name}/{key}={contents}");
                }
            }
        }

        _key.IsSet = false;
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
