using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;
using Freshet.Nexmark.Queries;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;

namespace Freshet.Nexmark.Tests;

public sealed class UnboundedSourceTests
{
    [Fact]
    public async Task FromNexmark_Unbounded_RunsUntilCancelledAndEmitsGeneratedEvents()
    {
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 11 });
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<Bid>();
        NexmarkQueries.Q0(env.FromNexmark(generator, count: null, eventsPerSecond: 20_000)).SinkTo(sink);
        var job = await env.ExecuteAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sink.Results.Count < 5_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(JobStatus.Running, job.Status);
        await job.CancelAsync();
        var results = sink.Results;
        Assert.True(results.Count >= 5_000, $"only {results.Count} bids in 30 s");

        // Every bid is one the generator makes among the first events, each once.
        var produced = (long)(results.Count * 1.2) + 10_000;
        var expected = Enumerable.Range(0, (int)produced).Select(n => generator.Generate(n)).Where(e => e.Kind == EventKind.Bid).Select(e => e.Bid!).ToHashSet();
        Assert.All(results, b => Assert.Contains(b, expected));
        Assert.Equal(results.Count, results.Distinct().Count());
    }
}
