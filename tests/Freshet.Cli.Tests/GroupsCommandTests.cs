using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Shared;

namespace Freshet.Cli.Tests;

/// <summary>
/// <c>freshet groups list|describe|reset-offsets|delete</c> run as processes against a <c>freshet broker</c> process on
/// 127.0.0.1, with Confluent.Kafka consumers as the groups' members and an AdminClient reading what was committed.
/// Each test uses its own topics and groups on the class's one broker.
/// </summary>
public sealed partial class GroupsCommandTests : IClassFixture<GroupsCommandTests.BrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly BrokerFixture _broker;

    public GroupsCommandTests(BrokerFixture broker) => _broker = broker;

    [Fact]
    public async Task List_and_describe_show_a_group_with_its_lag_and_active_member_then_empty()
    {
        await CreateTopicAsync("lag-events", 2);
        await ProduceAsync("lag-events", 0, 6);
        await ProduceAsync("lag-events", 1, 4);
        using var consumer = Consumer("lag-group", "lag-client");
        consumer.Subscribe("lag-events");
        WaitForAssignment(consumer, 2);
        consumer.Commit([new TopicPartitionOffset("lag-events", 0, 4), new TopicPartitionOffset("lag-events", 1, 1)]);

        var list = await GroupsAsync("list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains(Lines(list.Stdout), l => Columns(l) is ["lag-group", "Stable", "classic", "consumer"]);

        var described = await GroupsAsync("describe", "lag-group");
        Assert.True(described.ExitCode == 0, described.Stderr);
        Assert.Contains("Consumer group 'lag-group': state Stable, coordinator 127.0.0.1:", described.Stdout);
        Assert.Contains("1 member", described.Stdout);
        var memberId = consumer.MemberId;
        var rows = Lines(described.Stdout).Select(Columns).Where(c => c is ["lag-group", "lag-events", ..]).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal(["lag-group", "lag-events", "0", "4", "6", "2", memberId, "/127.0.0.1", "lag-client"], rows[0]);
        Assert.Equal(["lag-group", "lag-events", "1", "1", "4", "3", memberId, "/127.0.0.1", "lag-client"], rows[1]);
        Assert.Contains(Lines(described.Stdout), l => Columns(l) is ["lag-group", var id, "-", "/127.0.0.1", "lag-client", "2"] && id == memberId);

        var json = await GroupsAsync("describe", "lag-group", "--output", "json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var root = document.RootElement;
            Assert.Equal("Stable", root.GetProperty("state").GetString());
            var lags = root.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("lag").GetInt64()).ToArray();
            Assert.Equal([2L, 3L], lags);
            Assert.Equal(memberId, root.GetProperty("members")[0].GetProperty("consumerId").GetString());
        }

        // While the consumer is a member, a reset is refused and changes nothing, even with --execute.
        var refused = await GroupsAsync("reset-offsets", "lag-group", "--all-topics", "--to-earliest", "--execute");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Consumer group 'lag-group' is active", refused.Stderr);
        Assert.Single(Lines(refused.Stderr));
        Assert.Equal(new Dictionary<int, long> { [0] = 4, [1] = 1 }, await CommittedAsync("lag-group"));

        // And so is a delete.
        var deleteRefused = await GroupsAsync("delete", "lag-group");
        Assert.Equal(1, deleteRefused.ExitCode);
        Assert.Contains("is not empty", deleteRefused.Stderr);

        consumer.Close();
        var empty = await GroupsAsync("describe", "lag-group");
        Assert.True(empty.ExitCode == 0, empty.Stderr);
        Assert.Contains("state Empty", empty.Stdout);
        Assert.Contains("Consumer group 'lag-group' has no active members.", empty.Stdout);
        Assert.Contains(Lines(empty.Stdout), l => Columns(l) is ["lag-group", "lag-events", "0", "4", "6", "2", "-", "-", "-"]);
    }

    [Fact]
    public async Task A_consumer_protocol_group_is_listed_and_described_with_its_assignment()
    {
        await CreateTopicAsync("kip848-events", 2);
        await ProduceAsync("kip848-events", 0, 3);
        await ProduceAsync("kip848-events", 1, 2);
        using var consumer = Consumer("kip848-group", "kip848-client", GroupProtocol.Consumer);
        consumer.Subscribe("kip848-events");
        WaitForAssignment(consumer, 2);
        consumer.Commit([new TopicPartitionOffset("kip848-events", 0, 1)]);

        var list = await GroupsAsync("list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains(Lines(list.Stdout), l => Columns(l) is ["kip848-group", "Stable", "consumer", "consumer"]);

        var described = await GroupsAsync("describe", "kip848-group");
        Assert.True(described.ExitCode == 0, described.Stderr);
        var memberId = consumer.MemberId;
        Assert.Contains(Lines(described.Stdout), l => Columns(l) is ["kip848-group", "kip848-events", "0", "1", "3", "2", var id, _, "kip848-client"] && id == memberId);
        Assert.Contains(Lines(described.Stdout), l => Columns(l) is ["kip848-group", "kip848-events", "1", "-", "2", "-", var id, _, "kip848-client"] && id == memberId);

        var refused = await GroupsAsync("reset-offsets", "kip848-group", "--all-topics", "--to-earliest");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is active", refused.Stderr);
        consumer.Close();
    }

    [Fact]
    public async Task Reset_to_earliest_dry_run_changes_nothing_execute_makes_a_consumer_resume_at_the_log_start()
    {
        await CreateTopicAsync("replay-events", 1);
        await ProduceAsync("replay-events", 0, 10);
        await CommitAsMemberAsync("replay-group", "replay-events", 7);

        var dryRun = await GroupsAsync("reset-offsets", "replay-group", "--topic", "replay-events", "--to-earliest");
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        Assert.Contains(Lines(dryRun.Stdout), l => Columns(l) is ["replay-group", "replay-events", "0", "7", "0"]);
        Assert.Contains("Dry run: nothing was changed", dryRun.Stdout);
        Assert.Equal(new Dictionary<int, long> { [0] = 7 }, await CommittedAsync("replay-group"));

        var executed = await GroupsAsync("reset-offsets", "replay-group", "--all-topics", "--to-earliest", "--execute");
        Assert.True(executed.ExitCode == 0, executed.Stderr);
        Assert.Contains(Lines(executed.Stdout), l => Columns(l) is ["replay-group", "replay-events", "0", "7", "0"]);
        Assert.Equal(new Dictionary<int, long> { [0] = 0 }, await CommittedAsync("replay-group"));

        // The consumer's own reset policy is "latest": reading record 0 shows it resumed at the committed offset.
        using var resumed = Consumer("replay-group", "replay-client");
        resumed.Subscribe("replay-events");
        var first = ConsumeOne(resumed);
        Assert.Equal(0, first.Offset.Value);
        Assert.Equal("replay-events-0-0", first.Message.Value);
        resumed.Close();
    }

    [Fact]
    public async Task Shift_by_and_to_datetime_move_the_offsets_clamped_to_the_log()
    {
        // Recent timestamps (a minute apart, from an hour ago): older ones would fall to the broker's 7-day retention.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1);
        await CreateTopicAsync("timed-events", 1);
        await ProduceAsync("timed-events", 0, 5, i => start.AddMinutes(i));
        await CommitAsMemberAsync("timed-group", "timed-events", 4);

        var shifted = await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events", "--shift-by", "-2", "--execute");
        Assert.True(shifted.ExitCode == 0, shifted.Stderr);
        Assert.Contains(Lines(shifted.Stdout), l => Columns(l) is ["timed-group", "timed-events", "0", "4", "2"]);
        Assert.Equal(new Dictionary<int, long> { [0] = 2 }, await CommittedAsync("timed-group"));

        // Shifts and offsets beyond the log are clamped to [log start, log end].
        Assert.Contains(Lines((await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events:0", "--shift-by", "-10")).Stdout), l => Columns(l) is [_, _, "0", "2", "0"]);
        Assert.Contains(Lines((await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events:0", "--shift-by", "100")).Stdout), l => Columns(l) is [_, _, "0", "2", "5"]);
        Assert.Contains(Lines((await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events", "--to-offset", "99")).Stdout), l => Columns(l) is [_, _, "0", "2", "5"]);
        Assert.Contains(Lines((await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events", "--to-latest")).Stdout), l => Columns(l) is [_, _, "0", "2", "5"]);

        // The first record at or after start + 2:30 is the one stamped start + 3:00 (offset 3), whatever the time zone
        // the time is written in; after the last record, the log end.
        var between = start.AddSeconds(150).ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        var toTime = await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events", "--to-datetime", between, "--execute");
        Assert.True(toTime.ExitCode == 0, toTime.Stderr);
        Assert.Contains(Lines(toTime.Stdout), l => Columns(l) is ["timed-group", "timed-events", "0", "2", "3"]);
        Assert.Contains(Lines((await GroupsAsync("reset-offsets", "timed-group", "--topic", "timed-events", "--to-datetime", start.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))).Stdout), l => Columns(l) is [_, _, "0", "3", "5"]);

        using var resumed = Consumer("timed-group", "timed-client");
        resumed.Subscribe("timed-events");
        var first = ConsumeOne(resumed);
        Assert.Equal(3, first.Offset.Value);
        Assert.Equal("timed-events-0-3", first.Message.Value);
        resumed.Close();
        Assert.Equal(new Dictionary<int, long> { [0] = 3 }, await CommittedAsync("timed-group"));
    }

    [Fact]
    public async Task Delete_removes_an_empty_group_and_refuses_an_unknown_one()
    {
        await CreateTopicAsync("done-events", 1);
        await ProduceAsync("done-events", 0, 3);
        await CommitAsMemberAsync("done-group", "done-events", 3);

        var deleted = await GroupsAsync("delete", "done-group");
        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        Assert.Contains("Deleted consumer group 'done-group'.", deleted.Stdout);
        Assert.Empty(await CommittedAsync("done-group"));
        Assert.DoesNotContain(Lines((await GroupsAsync("list")).Stdout), l => Columns(l) is ["done-group", ..]);

        var gone = await GroupsAsync("describe", "done-group");
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal(["freshet groups describe: Consumer group 'done-group' does not exist."], Lines(gone.Stderr));

        var unknown = await GroupsAsync("delete", "never-existed");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(["freshet groups delete: Consumer group 'never-existed' does not exist."], Lines(unknown.Stderr));
    }

    [Fact]
    public async Task Reset_of_unknown_topics_partitions_and_shifts_without_a_commit_is_one_sentence_and_exit_1()
    {
        await CreateTopicAsync("sparse-events", 2);
        await ProduceAsync("sparse-events", 0, 2);
        await CommitAsMemberAsync("sparse-group", "sparse-events", 2);

        foreach (var (args, expected) in new (string[], string)[]
        {
            (["--topic", "no-such-topic", "--to-earliest"], "Topic 'no-such-topic' does not exist."),
            (["--topic", "sparse-events:5", "--to-earliest"], "Topic 'sparse-events' has no partition 5 (it has 2)."),
            (["--topic", "sparse-events", "--shift-by", "1"], "Cannot shift the offset of sparse-events-1: the group has no committed offset there."),
        })
        {
            var (exit, _, stderr) = await GroupsAsync(["reset-offsets", "sparse-group", .. args]);
            Assert.Equal(1, exit);
            Assert.Equal([$"freshet groups reset-offsets: {expected}"], Lines(stderr));
        }

        Assert.Equal(new Dictionary<int, long> { [0] = 2 }, await CommittedAsync("sparse-group"));
    }

    [Theory]
    [InlineData(new[] { "groups", "list" }, "Option '--bootstrap-server' is required")]
    [InlineData(new[] { "groups", "describe", "-b", "127.0.0.1:1" }, "Required argument 'group' missing")]
    [InlineData(new[] { "groups", "describe", "g", "-b", "127.0.0.1:1", "--output", "xml" }, "xml")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--to-latest", "-b", "127.0.0.1:1" }, "Give exactly one of --to-earliest, --to-latest, --to-offset N, --shift-by N, --to-datetime DATETIME")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "-b", "127.0.0.1:1" }, "Give exactly one of --to-earliest")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--to-earliest", "-b", "127.0.0.1:1" }, "Give --topic TOPIC[:PARTITION,...] (repeatable) or --all-topics")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--all-topics", "--to-earliest", "-b", "127.0.0.1:1" }, "Give --topic TOPIC[:PARTITION,...] (repeatable) or --all-topics")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-datetime", "yesterday", "-b", "127.0.0.1:1" }, "--to-datetime takes an ISO-8601 date and time")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-datetime", "2026-13-45T10:00:00Z", "-b", "127.0.0.1:1" }, "--to-datetime takes an ISO-8601 date and time")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t:x", "--to-earliest", "-b", "127.0.0.1:1" }, "--topic takes TOPIC or TOPIC:PARTITION")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--shift-by", "two", "-b", "127.0.0.1:1" }, "two")]
    [InlineData(new[] { "groups", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--execute", "--dry-run", "-b", "127.0.0.1:1" }, "Give --execute or --dry-run, not both")]
    public async Task Wrong_arguments_print_usage_and_exit_2(string[] args, string expected)
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.Contains("--help", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task An_unreachable_broker_is_one_sentence_and_exit_1()
    {
        var (exit, _, stderr) = await FreshetProcess.RunAsync(["groups", "list", "--bootstrap-server", "127.0.0.1:1"], timeout: Timeout);
        Assert.Equal(1, exit);
        Assert.Single(Lines(stderr));
        Assert.Contains("freshet groups list: Cannot reach a Kafka broker at 127.0.0.1:1", stderr);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> GroupsAsync(params string[] args) =>
        FreshetProcess.RunAsync(["groups", .. args, "--bootstrap-server", _broker.BootstrapServers]);

    private async Task CreateTopicAsync(string topic, int partitions)
    {
        using var admin = _broker.Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>Appends records "TOPIC-PARTITION-I" for I in 0..count-1 to one partition, stamped by <paramref name="timestamp"/> when given.</summary>
    private async Task ProduceAsync(string topic, int partition, int count, Func<int, DateTimeOffset>? timestamp = null)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _broker.BootstrapServers, Acks = Acks.All }).Build();
        for (var i = 0; i < count; i++)
        {
            var message = new Message<Null, string> { Value = $"{topic}-{partition}-{i}" };
            if (timestamp is not null)
            {
                message.Timestamp = new Timestamp(timestamp(i));
            }

            await producer.ProduceAsync(new TopicPartition(topic, partition), message);
        }
    }

    /// <summary>A consumer of <paramref name="group"/> that commits only when told and, without a committed offset, starts at the end.</summary>
    private IConsumer<Ignore, string> Consumer(string group, string clientId, GroupProtocol protocol = GroupProtocol.Classic) => new ConsumerBuilder<Ignore, string>(new ConsumerConfig
    {
        GroupProtocol = protocol,
        BootstrapServers = _broker.BootstrapServers,
        GroupId = group,
        ClientId = clientId,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Latest,
        SessionTimeoutMs = protocol == GroupProtocol.Classic ? 10_000 : null,
    }).Build();

    /// <summary>Joins <paramref name="group"/> as a subscribed member, commits <paramref name="offset"/> on partition 0 of <paramref name="topic"/>, and leaves: the group is Empty with that offset.</summary>
    private async Task CommitAsMemberAsync(string group, string topic, long offset)
    {
        using (var consumer = Consumer(group, group + "-client"))
        {
            consumer.Subscribe(topic);
            WaitForAssignment(consumer, 1);
            consumer.Commit([new TopicPartitionOffset(topic, 0, offset)]);
            consumer.Close();
        }

        Assert.Equal(offset, (await CommittedAsync(group))[0]);
    }

    /// <summary>The group's committed offsets by partition, as the AdminClient reads them.</summary>
    private async Task<Dictionary<int, long>> CommittedAsync(string group)
    {
        using var admin = _broker.Admin();
        var result = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]);
        return result.Single().Partitions.Where(p => p.Offset.Value >= 0).ToDictionary(p => p.Partition.Value, p => p.Offset.Value);
    }

    private static void WaitForAssignment(IConsumer<Ignore, string> consumer, int partitions)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (consumer.Assignment.Count < partitions)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The consumer got {consumer.Assignment.Count} of {partitions} partitions within {Timeout}.");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
    }

    private static ConsumeResult<Ignore, string> ConsumeOne(IConsumer<Ignore, string> consumer)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No record within {Timeout}.");
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                return result;
            }
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();

    /// <summary>One <c>freshet broker</c> process on a free 127.0.0.1 port over a temporary directory, for the whole class; stopped with SIGTERM.</summary>
    public sealed class BrokerFixture : IAsyncLifetime
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "freshet-cli-groups-tests-" + Guid.NewGuid().ToString("N"));
        private FreshetProcess? _process;

        public string BootstrapServers { get; private set; } = string.Empty;

        public async Task InitializeAsync()
        {
            KafkaNativeLibrary.EnsureLoaded();
            _process = FreshetProcess.Start("broker", "--data", _data, "--port", "0");
            await _process.WaitForOutputAsync("listening on", Timeout);
            BootstrapServers = AddressPattern().Match(_process.Stdout).Groups[1].Value;
        }

        public IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                _process.Terminate();
                await _process.WaitForExitAsync(Timeout);
                _process.Dispose();
            }

            if (Directory.Exists(_data))
            {
                Directory.Delete(_data, recursive: true);
            }
        }
    }
}
