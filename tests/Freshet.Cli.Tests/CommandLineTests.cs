using System.Text;
using System.Text.RegularExpressions;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Log.Transactions;

namespace Freshet.Cli.Tests;

/// <summary>The real <c>freshet</c> command, run as a process: arguments, data directories, a broker, the demo.</summary>
public sealed partial class CommandLineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], "Required command was not provided")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new[] { "topics", "list" }, "Give exactly one of --bootstrap-server HOST:PORT or --data DIR")]
    [InlineData(new[] { "broker" }, "--data")]
    [InlineData(new[] { "broker", "--data", "x", "--port", "70000" }, "--port takes a number from 0 to 65535")]
    [InlineData(new[] { "savepoint" }, "directory")]
    [InlineData(new[] { "savepoint", "sp", "--url", "ftp://127.0.0.1:1" }, "--url takes an http address")]
    [InlineData(new[] { "checkpoints", "list", "--url", "not a url" }, "--url takes an http address")]
    public async Task Wrong_arguments_print_usage_and_exit_2(string[] args, string expected)
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.Contains("--help", stderr);
    }

    [Fact]
    public async Task Broker_with_a_request_budget_below_the_largest_request_prints_one_sentence_and_exits_1()
    {
        var data = Path.Combine(_root, "budget");
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--data", data, "--port", "0", "--socket-request-max-bytes", "2000000", "--queued-max-request-bytes", "1000000"]);

        Assert.Equal(1, exit);
        Assert.Contains("queued.max.request.bytes", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var (exit, stdout, _) = await FreshetProcess.RunAsync(["--help"]);
        Assert.Equal(0, exit);
        foreach (var command in new[] { "demo", "broker", "topics", "produce", "consume", "groups", "savepoint", "checkpoints", "sql", "log-walkthrough" })
        {
            Assert.Contains(command, stdout);
        }
    }

    [Fact]
    public async Task Topics_produce_and_consume_work_on_a_data_directory()
    {
        var data = Path.Combine(_root, "data");
        Assert.Equal(0, (await FreshetProcess.RunAsync(["topics", "create", "events", "--partitions", "3", "--config", "retention.ms=3600000", "--data", data])).ExitCode);
        var (exit, stdout, _) = await FreshetProcess.RunAsync(["topics", "list", "--data", data]);
        Assert.Equal(0, exit);
        Assert.Equal(["events"], Lines(stdout));

        var produced = await FreshetProcess.RunAsync(["produce", "events", "--key-separator", ":", "--data", data], stdin: "user-1:login\nuser-2:view\nuser-1:logout\n");
        Assert.Equal(0, produced.ExitCode);
        Assert.Contains("Produced 3 records", produced.Stderr);

        var consumed = await FreshetProcess.RunAsync(["consume", "events", "--from-beginning", "--print-key", "--group", "g", "--data", data]);
        Assert.Equal(0, consumed.ExitCode);
        Assert.Equal(["user-1\tlogin", "user-1\tlogout", "user-2\tview"], Lines(consumed.Stdout).Order(StringComparer.Ordinal));

        // Records of one key stay in order (one partition per key).
        var user1 = Lines(consumed.Stdout).Where(l => l.StartsWith("user-1", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["user-1\tlogin", "user-1\tlogout"], user1);

        // The group committed its offsets: nothing new for it now.
        Assert.Empty(Lines((await FreshetProcess.RunAsync(["consume", "events", "--group", "g", "--data", data])).Stdout));

        var described = await FreshetProcess.RunAsync(["topics", "describe", "events", "--data", data]);
        Assert.Contains("3 partition(s), 3 record(s) retained", described.Stdout);
        Assert.Contains("retention.ms=3600000", described.Stdout);

        Assert.Equal(0, (await FreshetProcess.RunAsync(["topics", "delete", "events", "--data", data])).ExitCode);
        Assert.Empty(Lines((await FreshetProcess.RunAsync(["topics", "list", "--data", data])).Stdout));
        var missing = await FreshetProcess.RunAsync(["topics", "describe", "events", "--data", data]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Single(Lines(missing.Stderr));
    }

    [Fact]
    public async Task Consume_on_a_data_directory_reads_committed_data_only()
    {
        // A plain record, a committed transaction, an aborted one, then an open one followed by a plain record:
        // read_committed shows the first two and stops at the open transaction (the last stable offset).
        var data = Path.Combine(_root, "data");
        using (var store = LogStore.Open(data, new LogStoreOptions { BackgroundMaintenance = false }))
        {
            store.CreateTopic("results", 1);
            var partition = store.GetPartition("results", 0);
            partition.Append(Batch(null, "plain-1"));
            foreach (var (id, value, commit) in new[] { ("committer", "committed", (bool?)true), ("aborter", "aborted", false), ("open", "open", null) })
            {
                var producer = store.Transactions.InitProducerId(id, transactionTimeoutMs: 600_000);
                store.Transactions.AddPartitions(id, producer.ProducerId, producer.ProducerEpoch, [new TransactionPartition("results", 0)]);
                partition.Append(Batch(producer, value));
                if (commit is { } decided)
                {
                    store.Transactions.EndTransaction(id, producer.ProducerId, producer.ProducerEpoch, decided);
                }
            }

            partition.Append(Batch(null, "plain-after-open"));
            store.Flush();
        }

        var consumed = await FreshetProcess.RunAsync(["consume", "results", "--from-beginning", "--data", data]);
        Assert.Equal(0, consumed.ExitCode);
        Assert.Equal(["plain-1", "committed"], Lines(consumed.Stdout));

        static byte[] Batch(ProducerIdAndEpoch? producer, string value)
        {
            var builder = producer is { } p
                ? new RecordBatchBuilder { ProducerId = p.ProducerId, ProducerEpoch = p.ProducerEpoch, BaseSequence = 0, IsTransactional = true }
                : new RecordBatchBuilder();
            builder.Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes(value));
            return builder.Build();
        }
    }

    [Fact]
    public async Task Produce_and_consume_round_trip_through_a_broker_which_stops_cleanly_on_sigterm()
    {
        var data = Path.Combine(_root, "broker-data");
        using var broker = FreshetProcess.Start("broker", "--data", data, "--port", "0", "--log-level", "Debug");
        await broker.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(30));
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        // While the broker holds the directory, opening it directly is refused with one sentence.
        var locked = await FreshetProcess.RunAsync(["topics", "list", "--data", data]);
        Assert.Equal(1, locked.ExitCode);
        Assert.Contains("in use", locked.Stderr);
        Assert.DoesNotContain("   at ", locked.Stderr);

        Assert.Equal(0, (await FreshetProcess.RunAsync(["topics", "create", "words", "--partitions", "2", "-b", bootstrap])).ExitCode);
        Assert.Equal(0, (await FreshetProcess.RunAsync(["produce", "words", "-b", bootstrap], stdin: "alpha\nbeta\ngamma\n")).ExitCode);
        var first = await FreshetProcess.RunAsync(["consume", "words", "--from-beginning", "--group", "readers", "-b", bootstrap]);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(["alpha", "beta", "gamma"], Lines(first.Stdout).Order(StringComparer.Ordinal));

        Assert.Equal(0, (await FreshetProcess.RunAsync(["produce", "words", "-b", bootstrap], stdin: "delta\n")).ExitCode);
        var second = await FreshetProcess.RunAsync(["consume", "words", "--group", "readers", "-b", bootstrap]);
        Assert.True(second.ExitCode == 0, $"consume exited with {second.ExitCode}: {second.Stderr}");
        Assert.True(Lines(second.Stdout).SequenceEqual(["delta"]), $"consume printed [{string.Join(", ", Lines(second.Stdout))}]; stderr: {second.Stderr}");

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Freshet broker stopped.", broker.Stdout);

        // The log, one line per event (docs/operations.md): the store's and the broker's start and stop, and at Debug
        // the clients' connections.
        Assert.Contains("info: Freshet.Log[3000] Opened the log", broker.Stdout);
        Assert.Contains("info: Freshet.Broker[2000] Broker 1 of cluster", broker.Stdout);
        Assert.Contains("dbug: Freshet.Broker.Connections[2010] Connection ", broker.Stdout);
        Assert.Contains("info: Freshet.Broker[2001] Broker 1 stopped.", broker.Stdout);
    }

    [Fact]
    public async Task An_unreachable_broker_is_one_sentence_and_exit_1_the_trace_only_with_verbose()
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["topics", "list", "--bootstrap-server", "127.0.0.1:1"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Single(Lines(stderr));
        Assert.Contains("Cannot reach a Kafka broker at 127.0.0.1:1", stderr);

        var verbose = await FreshetProcess.RunAsync(["topics", "list", "--bootstrap-server", "127.0.0.1:1", "--verbose"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Stderr);
    }

    [Theory]
    [InlineData("savepoint", "sp")]
    [InlineData("checkpoints", "list")]
    public async Task A_job_command_without_a_job_at_the_url_is_one_sentence_and_exit_1(string command, string argument)
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync([command, argument, "--url", "http://127.0.0.1:1"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Single(Lines(stderr));
        Assert.Contains("No job's REST API answers at http://127.0.0.1:1/", stderr);
    }

    [Fact]
    public async Task Savepoint_and_checkpoints_list_operate_a_running_job_through_its_rest_api()
    {
        var httpPort = LoopbackPorts.Free();
        var url = $"http://127.0.0.1:{httpPort}";
        using var demo = FreshetProcess.Start("demo", "--data", Path.Combine(_root, "demo"), "--port", "0", "--rate", "1000", "--duration", "120", "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await demo.WaitForOutputAsync("Dashboard and REST API on", TimeSpan.FromSeconds(60));

        var savepoint = Path.Combine(_root, "savepoint-1");
        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["savepoint", savepoint, "--url", url], timeout: TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, stderr);
        Assert.Contains($"Savepoint completed: {savepoint}", stdout);
        Assert.StartsWith("freshet-checkpoint 1", await File.ReadAllTextAsync(Path.Combine(savepoint, "_manifest")));

        var list = await FreshetProcess.RunAsync(["checkpoints", "list", "--url", url], timeout: TimeSpan.FromSeconds(30));
        Assert.True(list.ExitCode == 0, list.Stderr);
        var lines = Lines(list.Stdout);
        Assert.StartsWith("Completed ", lines[0]);
        Assert.StartsWith("ID ", lines[1]);
        Assert.Contains(lines.Skip(2), l => l.Contains("savepoint", StringComparison.Ordinal) && l.Contains("Completed", StringComparison.Ordinal));

        var json = await FreshetProcess.RunAsync(["checkpoints", "list", "--url", url, "-o", "json"], timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(0, json.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Contains(document.RootElement.GetProperty("history").EnumerateArray(), e => e.GetProperty("isSavepoint").GetBoolean());

        var refused = await FreshetProcess.RunAsync(["savepoint", savepoint, "--url", url], timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(1, refused.ExitCode);
        Assert.Single(Lines(refused.Stderr));
        Assert.Contains("refused POST /api/job/savepoints", refused.Stderr);

        demo.Terminate();
        Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }


    [Fact]
    public async Task The_demo_runs_a_streaming_job_and_ends_with_a_summary()
    {
        var data = Path.Combine(_root, "demo");
        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["demo", "--data", data, "--duration", "8", "--port", "0"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, stderr);
        Assert.Contains("Kafka-compatible broker on 127.0.0.1:", stdout);
        Assert.Contains("Summary", stdout);
        Assert.Matches(@"[1-9][\d,]* readings generated", stdout);
        Assert.Matches(@"[1-9][\d,]* read by the job", stdout);
        Assert.DoesNotContain("Recovered", stdout);
        Assert.Matches(@"\| checkpoints [1-9]\d* \|", stdout);
        Assert.Contains("info: Freshet.Streaming.Job[1000] Job 'freshet demo: hot sensors' started: parallelism 2", stdout);

        // Killed with SIGKILL after two checkpoints, then started again: it recovers from a checkpoint.
        using (var killed = FreshetProcess.Start("demo", "--data", data, "--port", "0"))
        {
            await killed.WaitForOutputAsync("| checkpoints 2 |", TimeSpan.FromSeconds(60));
            Assert.Contains("Recovered from checkpoint ", killed.Stdout);
        }

        var again = await FreshetProcess.RunAsync(["demo", "--data", data, "--duration", "3", "--port", "0"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Matches(@"Recovered from checkpoint [1-9]\d* \(", again.Stdout);
    }

    [Fact]
    public async Task The_log_walkthrough_runs()
    {
        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["log-walkthrough"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, stderr);
        Assert.NotEmpty(stdout);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();
}
