using Freshet.Application.TestHost;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// What the end-to-end application-mode tests share: a real broker on 127.0.0.1 with the test job's input topic
/// (<see cref="Partitions"/> partitions) and output topic, instances of the test host as child processes (application
/// id <c>app</c>), the job's input, the single-process run that gives the expected output, and the read_committed
/// output of the instances to compare it with. Disposing kills every instance started and removes the broker and the
/// instances' state directories.
/// </summary>
internal sealed class ApplicationTestBed : IAsyncDisposable
{
    /// <summary>Partitions of the input topic: the test job has 3 sub-topologies of this many tasks each.</summary>
    public const int Partitions = 6;

    private readonly string _state = Path.Combine(Path.GetTempPath(), "freshet-app-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ApplicationInstanceProcess> _instances = [];

    private ApplicationTestBed(InProcessBroker broker)
    {
        Broker = broker;
    }

    public InProcessBroker Broker { get; }

    /// <summary>Every instance started so far, in start order.</summary>
    public IReadOnlyList<ApplicationInstanceProcess> Instances => _instances;

    public static async Task<ApplicationTestBed> StartAsync()
    {
        var broker = await InProcessBroker.StartAsync();
        broker.Store.CreateTopic("in", Partitions);
        broker.Store.CreateTopic("out", 1);
        return new ApplicationTestBed(broker);
    }

    /// <summary>Starts an instance of the test host, bootstrapping through <paramref name="bootstrap"/> (the broker when null), without waiting for it to join.</summary>
    public ApplicationInstanceProcess Start(string name, string backend, string? instanceId = null, int variant = 0, string? bootstrap = null, int standbyReplicas = 0, bool atLeastOnce = false, TimeSpan? sessionTimeout = null)
    {
        var instance = ApplicationInstanceProcess.Start(name, bootstrap ?? Broker.BootstrapServers, "app", backend, Path.Combine(_state, name.Replace(' ', '-')), instanceId, variant, standbyReplicas, atLeastOnce, sessionTimeout);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>Starts an instance and waits until it joined the application's group.</summary>
    public async Task<ApplicationInstanceProcess> StartAndJoinAsync(string name, string backend, string? instanceId = null, string? bootstrap = null, int standbyReplicas = 0, int variant = 0, bool atLeastOnce = false, TimeSpan? sessionTimeout = null)
    {
        var instance = Start(name, backend, instanceId, variant, bootstrap, standbyReplicas, atLeastOnce, sessionTimeout);
        await instance.WaitUntilJoinedAsync();
        return instance;
    }

    /// <summary>Records <c>k{n}:{i}</c> of partition p at event time 1000 + 7i; with <paramref name="flush"/> a last record far ahead, so every window closes.</summary>
    public async Task ProduceInputAsync(int from, int to, bool flush)
    {
        for (var p = 0; p < Partitions; p++)
        {
            var records = Enumerable.Range(from, to - from).Select(i => ((string?)null, (string?)$"k{((i * 7) + p) % 13}:{i}", 1_000L + (i * 7))).ToList();
            if (flush)
            {
                records.Add((null, "flush", 10_000_000L));
            }

            await Broker.ProduceAsync("in", p, records);
        }
    }

    /// <summary>The test job (its <paramref name="variant"/>) run in this process over the whole input topic (bounded): what the application must write, sorted.</summary>
    public async Task<List<string>> SingleProcessResultsAsync(int variant = 0)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<string>();
        ApplicationTestJob.Build(env, Broker.BootstrapServers, "in", bounded: true, variant).SinkTo(sink);
        await JobRunner.RunAsync(env);
        return [.. sink.Results.Order(StringComparer.Ordinal)];
    }

    /// <summary>Waits until the output topic holds <paramref name="count"/> committed records, then a little longer for any extra; returns them sorted.</summary>
    public async Task<List<string>> WaitForOutputAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        List<string> output;
        do
        {
            await Task.Delay(500);
            output = Committed();
            if (DateTime.UtcNow >= deadline)
            {
                foreach (var instance in _instances)
                {
                    File.WriteAllText(Path.Combine(Path.GetTempPath(), $"app-test-{instance.Name.Replace(' ', '-')}.log"), instance.Output);
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {output.Count} of {count} records arrived. {Tails()}");
        }
        while (output.Count < count);

        await Task.Delay(2000);
        return Committed();
    }

    /// <summary>The output topic's committed records (what a read_committed reader sees), sorted.</summary>
    /// <summary>Committed records in partition <paramref name="partition"/> of all the application's changelog topics.</summary>
    public int ChangelogRecords(int partition) =>
        Broker.Store.ListTopics()
            .Where(static t => t.EndsWith("-changelog", StringComparison.Ordinal))
            .Sum(t => Broker.Store.GetPartition(t, partition).ReadCommittedRecords(0).Count());

    public List<string> Committed()
    {
        var partition = Broker.Store.GetPartition("out", 0);
        return [.. partition.ReadCommittedRecords(0).Select(static r => System.Text.Encoding.UTF8.GetString(r.Value!)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The last lines of every instance's output, for failure messages.</summary>
    public string Tails() => string.Join("\n---\n", _instances.Select(static i => i.Name + ":\n" + i.Output[^Math.Min(3000, i.Output.Length)..]));

    /// <summary>Stops every instance still running with SIGTERM and asserts that each stops cleanly (exit code 0).</summary>
    public async Task StopAllAsync()
    {
        foreach (var instance in _instances.Where(static i => !i.HasExited))
        {
            var exit = await instance.StopAsync(TimeSpan.FromSeconds(90));
            Assert.True(exit == 0, $"{instance.Name} stopped with {exit}: {instance.Output[^Math.Min(4000, instance.Output.Length)..]}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        await Broker.DisposeAsync();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }
}
