using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary><c>freshet broker --config FILE</c> and the flags that override it, run as a process.</summary>
public sealed partial class BrokerConfigFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-config-tests-" + Guid.NewGuid().ToString("N"));

    public BrokerConfigFileTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Config_file_sets_partitions_and_topic_defaults_of_auto_created_topics()
    {
        var data = Path.Combine(_root, "data");
        var file = WriteConfig(
            "# Kafka-style broker settings",
            "listeners=PLAINTEXT://127.0.0.1:0",
            $"log.dirs={data}",
            "num.partitions = 4",
            "log.retention.hours: 2",
            "compression.type=zstd");
        using var broker = FreshetProcess.Start("broker", "--config", file);
        await broker.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(30));
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        await RequestMetadataAsync(bootstrap, "auto-created");
        var described = await FreshetProcess.RunAsync(["topics", "describe", "auto-created", "-b", bootstrap]);

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(described.ExitCode == 0, described.Stderr);
        Assert.Contains("Topic auto-created: 4 partition(s)", described.Stdout);

        // The stored topic follows the file's topic defaults (read from the directory, after the broker stopped).
        var offline = await FreshetProcess.RunAsync(["topics", "describe", "auto-created", "--data", data]);
        Assert.True(offline.ExitCode == 0, offline.Stderr);
        Assert.Contains("retention.ms=7200000", offline.Stdout);
        Assert.Contains("compression.type=zstd", offline.Stdout);
    }

    [Fact]
    public async Task Flags_override_the_file_auto_creation_off_leaves_unknown_topics_uncreated()
    {
        var data = Path.Combine(_root, "data");
        var file = WriteConfig("num.partitions=4", "auto.create.topics.enable=true", "listeners=PLAINTEXT://127.0.0.1:9");
        using var broker = FreshetProcess.Start("broker", "--config", file, "--data", data, "--port", "0", "--auto-create-topics", "false", "--override", "num.partitions=2");
        await broker.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(30));
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        await RequestMetadataAsync(bootstrap, "never-created");
        var described = await FreshetProcess.RunAsync(["topics", "describe", "never-created", "-b", bootstrap]);
        var created = await FreshetProcess.RunAsync(["topics", "list", "-b", bootstrap]);

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, described.ExitCode);
        Assert.Contains("does not exist", described.Stderr);
        Assert.DoesNotContain("never-created", created.Stdout);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_by_name_in_one_sentence()
    {
        var file = WriteConfig("num.partitions=3", "zookeeper.connect=localhost:2181");

        var (exit, stdout, stderr) = await FreshetProcess.RunAsync(["broker", "--config", file, "--data", Path.Combine(_root, "data"), "--port", "0"]);

        Assert.Equal(1, exit);
        Assert.Contains("line 2: unknown broker setting 'zookeeper.connect'", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("listening on", stdout);
        Assert.False(Directory.Exists(Path.Combine(_root, "data")), "nothing is opened when the configuration is refused");
    }

    [Theory]
    [InlineData("num.partitions=0", "num.partitions")]
    [InlineData("auto.create.topics.enable=sometimes", "auto.create.topics.enable")]
    [InlineData("log.message.timestamp.type=WallClock", "log.message.timestamp.type")]
    [InlineData("listeners=INTERNAL://127.0.0.1:9093", "listeners")]
    public async Task An_invalid_value_is_refused_naming_the_setting(string line, string name)
    {
        var file = WriteConfig(line);

        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--config", file, "--data", Path.Combine(_root, "data"), "--port", "0"]);

        Assert.Equal(1, exit);
        Assert.Contains($"'{name}'", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    private string WriteConfig(params string[] lines)
    {
        var path = Path.Combine(_root, "broker-" + Guid.NewGuid().ToString("N") + ".properties");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>
    /// Sends one Metadata v1 request for <paramref name="topic"/> and reads the answer. Version 1 always
    /// allows automatic creation (the flag exists from v4), as librdkafka's and Java's producers ask.
    /// </summary>
    internal static async Task RequestMetadataAsync(string bootstrap, string topic)
    {
        var colon = bootstrap.LastIndexOf(':');
        using var client = new TcpClient();
        await client.ConnectAsync(bootstrap[..colon], int.Parse(bootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        var clientId = "cli-test"u8.ToArray();
        var name = Encoding.UTF8.GetBytes(topic);
        var body = new byte[2 + 2 + 4 + 2 + clientId.Length + 4 + 2 + name.Length];
        var span = body.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, 3);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], 1);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], 7);
        BinaryPrimitives.WriteInt16BigEndian(span[8..], (short)clientId.Length);
        clientId.CopyTo(span[10..]);
        var at = 10 + clientId.Length;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], 1);
        BinaryPrimitives.WriteInt16BigEndian(span[(at + 4)..], (short)name.Length);
        name.CopyTo(span[(at + 6)..]);
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, body.Length);
        await stream.WriteAsync(size);
        await stream.WriteAsync(body);
        await stream.ReadExactlyAsync(size);
        var response = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(response);
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(response));
    }

    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();
}
