using Freshet.Nexmark.Model;
using Freshet.Nexmark.Queries;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.State;

namespace Freshet.Nexmark.Tests;

/// <summary>
/// Each query on a bounded run of <see cref="ReferenceData.Events"/> events, generated inside the job at parallelism 2,
/// against <see cref="Reference"/> over the same events (compared as multisets); the window queries q7 and q8 also with
/// their window contents in RocksDB.
/// </summary>
public sealed class QueryTests(ReferenceData data) : IClassFixture<ReferenceData>
{
    private const int Parallelism = 2;

    [Fact]
    public async Task Q0_PassThrough_EmitsEveryBid()
    {
        var results = await RunAsync(NexmarkQueries.Q0);
        Assert.Equal(ReferenceData.Events / 50 * 46, results.Count);
        Multiset.AssertEqual(data.Bids, results.Select(b => new BidRow(b.Auction, b.Bidder, b.Price, b.DateTime)));
    }

    [Fact]
    public async Task Q1_CurrencyConversion_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q1(data)), await RunAsync(NexmarkQueries.Q1));

    [Fact]
    public async Task Q2_Selection_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q2(data)), await RunAsync(NexmarkQueries.Q2));

    [Fact]
    public async Task Q3_LocalItemSuggestion_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q3(data)), await RunAsync(NexmarkQueries.Q3));

    [Fact]
    public async Task Q4_AveragePricePerCategory_FinalAveragesMatchLinq()
    {
        var updates = await RunAsync(NexmarkQueries.Q4);
        var final = updates.GroupBy(r => r.Category).Select(g => g.MaxBy(r => r.Count));
        var expected = NonEmpty(Reference.Q4Final(data));
        Multiset.AssertEqual(expected, final);

        // One update per winning bid, and the counts of a category are 1, 2, 3, … without gaps.
        Assert.Equal(expected.Sum(e => e.Count), updates.Count);
        Assert.All(updates.GroupBy(r => r.Category), g => Assert.Equal(Enumerable.Range(1, g.Count()).Select(i => (long)i), g.Select(r => r.Count).Order()));
    }

    [Fact]
    public async Task Q5_HotItems_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q5(data)), await RunAsync(NexmarkQueries.Q5));

    [Fact]
    public async Task Q6_AverageSellingPriceBySeller_EveryUpdateMatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q6(data)), await RunAsync(NexmarkQueries.Q6));

    [Fact]
    public async Task Q7_HighestBid_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q7(data)), await RunAsync(NexmarkQueries.Q7));

    [Fact]
    public async Task Q8_MonitorNewUsers_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q8(data)), await RunAsync(NexmarkQueries.Q8));

    [Fact]
    public async Task Q7_HighestBid_OnRocksDb_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q7(data)), await RunOnRocksDbAsync(NexmarkQueries.Q7));

    [Fact]
    public async Task Q8_MonitorNewUsers_OnRocksDb_MatchesLinq() =>
        Multiset.AssertEqual(NonEmpty(Reference.Q8(data)), await RunOnRocksDbAsync(NexmarkQueries.Q8));

    private static List<T> NonEmpty<T>(IEnumerable<T> expected)
    {
        var list = expected.ToList();
        Assert.NotEmpty(list);
        return list;
    }

    /// <summary>Runs <paramref name="query"/> with its keyed state in RocksDB, under a scratch directory removed afterwards.</summary>
    private async Task<IReadOnlyList<T>> RunOnRocksDbAsync<T>(Func<DataStream<NexmarkEvent>, DataStream<T>> query)
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-nexmark-rocks-" + Guid.NewGuid().ToString("N"));
        try
        {
            return await RunAsync(query, StateBackend.RocksDb(directory));
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>Runs <paramref name="query"/> on <paramref name="backend"/> (default the heap); its working databases are deleted with the job.</summary>
    private async Task<IReadOnlyList<T>> RunAsync<T>(Func<DataStream<NexmarkEvent>, DataStream<T>> query, StateBackend? backend = null)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = Parallelism, StateBackend = backend ?? StateBackend.Heap });
        var sink = new CollectingSink<T>();
        query(env.FromNexmark(data.Generator, ReferenceData.Events)).SinkTo(sink);
        var job = await env.ExecuteAsync();
        await job.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        return sink.Results;
    }
}
