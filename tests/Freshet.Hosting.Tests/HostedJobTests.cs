using System.Text;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Freshet.Hosting.Tests;

/// <summary>
/// Jobs run by the generic host through AddFreshetJob: a bounded job runs to its results with the host's logging and
/// stops the host; a job over a log topic stopped with the host leaves a savepoint that a second host continues from;
/// a failing job stops the host.
/// </summary>
public sealed class HostedJobTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-hosting-" + Guid.NewGuid().ToString("N"));

    public HostedJobTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task RunAsync_BoundedJobWithStopHostWhenFinished_ProducesResultsLogsThroughTheHostAndStops()
    {
        var collector = new FakeLogCollector();
        var sink = new CollectingSink<int>();
        StreamEnvironmentOptions? seen = null;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector));
        builder.Services.AddSingleton(sink);
        builder.Services.AddFreshetJob("doubling", (env, services) =>
        {
            seen = env.Options;
            env.FromCollection(Enumerable.Range(1, 1000)).Map(x => x * 2).SinkTo(services.GetRequiredService<CollectingSink<int>>());
        }, options =>
        {
            options.Parallelism = 2;
            options.StopHostWhenFinished = true;
        });
        using var host = builder.Build();
        var service = host.Services.GetRequiredKeyedService<FreshetJobService>("doubling");

        await host.RunAsync().WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 1000).Select(x => x * 2), sink.Results.Order());
        Assert.Equal(2, seen!.Parallelism);
        Assert.NotNull(seen.LoggerFactory);
        var events = collector.GetSnapshot();
        Assert.Contains(events, e => e.Id.Id == 1000 && e.Category == "Freshet.Streaming.Job");
        Assert.Contains(events, e => e.Id.Id == 4001 && e.Category == "Freshet.Hosting");
        var job = await service.JobStarted;
        Assert.Equal(JobStatus.Finished, job.Status);
    }

    [Fact]
    public async Task StopAsync_WithSavepointOnStop_SecondHostRestoresTheSavepointAndContinuesTheCounts()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("words", 1);
        Append(store, "words", Enumerable.Range(0, 30).Select(i => "abc"[i % 3].ToString()));
        var checkpoints = Path.Combine(_root, "checkpoints");

        // The first host counts 10 of each word, then stops with a savepoint.
        var firstSink = new CollectingSink<(string Word, long Count)>();
        using (var first = BuildCountingHost(store, checkpoints, firstSink))
        {
            await first.StartAsync().WaitAsync(Patience);
            await WaitUntilAsync(() => firstSink.Results.Count == 30);
            var service = first.Services.GetRequiredKeyedService<FreshetJobService>("word-counts");
            Assert.Null((await service.JobStarted).RestoredFrom);

            await first.StopAsync().WaitAsync(Patience);

            Assert.NotNull(service.LastSavepoint);
            Assert.True(File.Exists(Path.Combine(service.LastSavepoint!, "_manifest")), "the savepoint is complete");
            Assert.StartsWith(Path.Combine(checkpoints, "savepoints"), service.LastSavepoint, StringComparison.Ordinal);
            Assert.Equal(JobStatus.Finished, (await service.JobStarted).Status);
            Assert.Equal(10, firstSink.Results.Where(r => r.Word == "a").Max(r => r.Count));
        }

        // The second host finds the savepoint itself and carries on counting from 10.
        Append(store, "words", ["a", "a", "b"]);
        var secondSink = new CollectingSink<(string Word, long Count)>();
        using var second = BuildCountingHost(store, checkpoints, secondSink);
        await second.StartAsync().WaitAsync(Patience);
        await WaitUntilAsync(() => secondSink.Results.Count == 3);
        var restored = (await second.Services.GetRequiredKeyedService<FreshetJobService>("word-counts").JobStarted).RestoredFrom;
        await second.StopAsync().WaitAsync(Patience);

        Assert.True(restored is { IsSavepoint: true }, "the second job restored the savepoint");
        Assert.Equal([("a", 11L), ("a", 12L), ("b", 11L)], secondSink.Results.Order());
    }

    [Fact]
    public async Task RunAsync_JobFails_HostStopsWithTheJobsFailure()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFreshetJob("failing", (env, _) =>
            env.FromCollection(Enumerable.Range(1, 10)).Map(x => x == 5 ? throw new InvalidOperationException("bad record") : x).SinkTo(new CollectingSink<int>()),
            options => options.Parallelism = 1);
        using var host = builder.Build();
        var service = host.Services.GetRequiredKeyedService<FreshetJobService>("failing");

        var run = host.RunAsync();
        var finished = await Task.WhenAny(run, Task.Delay(Patience));

        Assert.Same(run, finished);
        // The host rethrows the failed service's exception from RunAsync (BackgroundServiceExceptionBehavior.StopHost).
        var failure = await Assert.ThrowsAsync<JobExecutionException>(() => run);
        Assert.Contains("bad record", failure.ToString(), StringComparison.Ordinal);
        Assert.Same(failure, await Assert.ThrowsAsync<JobExecutionException>(() => service.ExecuteTask!));
        await Assert.ThrowsAsync<JobExecutionException>(() => service.JobStarted.Result.Completion);
    }

    [Fact]
    public void AddFreshetJob_SameNameTwice_IsRefused()
    {
        var services = new ServiceCollection();
        services.AddFreshetJob("once", (_, _) => { });

        var error = Assert.Throws<InvalidOperationException>(() => services.AddFreshetJob("once", (_, _) => { }));
        Assert.Contains("'once'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host running a running count per word over the topic "words", checkpointing, with a savepoint on stop.</summary>
    private static IHost BuildCountingHost(LogStore store, string checkpoints, CollectingSink<(string Word, long Count)> sink)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFreshetJob("word-counts", (env, _) =>
            env.FromLogTopic(store, "words", r => Encoding.UTF8.GetString(r.Value!))
                .Map(word => (Word: word, Count: 1L))
                .KeyBy(c => c.Word)
                .Reduce((a, b) => (a.Word, a.Count + b.Count))
                .SinkTo(sink),
            options =>
            {
                options.Parallelism = 1;
                options.BufferTimeout = TimeSpan.FromMilliseconds(5);
                options.Checkpointing.Directory = checkpoints;
                options.Checkpointing.Interval = TimeSpan.FromMilliseconds(200);
                options.SavepointOnStop = true;
            });
        return builder.Build();
    }

    private static void Append(LogStore store, string topic, IEnumerable<string> values)
    {
        var batch = new RecordBatchBuilder();
        foreach (var value in values)
        {
            batch.Add(0, null, Encoding.UTF8.GetBytes(value));
        }

        store.GetPartition(topic, 0).Append(batch.Build());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }
}
