using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.State;

namespace Freshet.Dashboard.Tests.Support;

/// <summary>
/// A real bounded job at parallelism 2 whose keyed process functions keep queryable tallies under four kinds of key —
/// string (<c>users</c>), int (<c>numbers</c>), Guid (<c>guids</c>) and a record read as JSON (<c>regions</c>) —
/// run to the end of its input (its tables then keep their final contents), with its dashboard on a free port of
/// 127.0.0.1 and <see cref="Http"/> a client for it.
/// </summary>
public sealed class TablesJob : IAsyncLifetime
{
    /// <summary>Records the generator produces: 0 … Count − 1.</summary>
    public const int Count = 1_200;

    public JobHandle Job { get; private set; } = null!;

    public DashboardServer Dashboard { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The Guid key of <paramref name="i"/>'s group (i % 3).</summary>
    public static Guid GuidOf(long i) => new((int)(i % 3), 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]);

    public async Task InitializeAsync()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var numbers = env.FromGenerator(static i => i, count: Count, name: "numbers");
        AddTable(numbers.KeyBy(static i => "user-" + (i % 12)), "users");
        AddTable(numbers.KeyBy(static i => (int)(i % 20)), "numbers");
        AddTable(numbers.KeyBy(static i => GuidOf(i)), "guids");
        AddTable(numbers.KeyBy(static i => new Region(i % 2 == 0 ? "NL" : "DE", (int)(i % 4))), "regions");
        Job = await env.ExecuteAsync("tables rest " + Guid.NewGuid().ToString("N")[..8]);
        await Job.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Dashboard = await JobDashboard.StartAsync(Job, new DashboardOptions());
        Http = new HttpClient { BaseAddress = Dashboard.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Dashboard.DisposeAsync();
    }

    /// <summary>The tally every key of a table should have: how many of 0 … Count − 1 map to it, and their sum.</summary>
    public static Tally Expected<TKey>(Func<long, TKey> keyOf, TKey key) =>
        new(Enumerable.Range(0, Count).LongCount(i => Equals(keyOf(i), key)), Enumerable.Range(0, Count).Where(i => Equals(keyOf(i), key)).Sum(i => (long)i));

    private static void AddTable<TKey>(KeyedStream<TKey, long> keyed, string table)
        where TKey : notnull =>
        keyed.Process(new TallyPerKey<TKey>(table)).Filter(static _ => false).SinkTo(new CollectingSink<long>());

    /// <summary>A record key: its JSON in a URL is <c>{"country":"NL","zone":2}</c>.</summary>
    public sealed record Region(string Country, int Zone);

    /// <summary>A value: how many records a key saw and their sum.</summary>
    public sealed record Tally(long Count, long Sum);

    /// <summary>Counts and sums each key's records in a value state marked queryable as <paramref name="table"/>.</summary>
    private sealed class TallyPerKey<TKey>(string table) : KeyedProcessFunction<TKey, long, long>
        where TKey : notnull
    {
        private ValueState<Tally?>? _tally;

        public override void Open(RuntimeContext context) => _tally = context.GetState(new ValueStateDescriptor<Tally?>("tally") { QueryableName = table });

        public override void ProcessElement(long value, KeyedProcessContext<TKey> context, Collector<long> output)
        {
            var tally = _tally!.Value ?? new Tally(0, 0);
            _tally.Update(new Tally(tally.Count + 1, tally.Sum + value));
        }
    }
}
