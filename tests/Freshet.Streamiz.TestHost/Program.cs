using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

// An unmodified Streamiz.Kafka.Net application (Kafka Streams' model: consumer group, changelog and repartition
// topics, transactions) over the topic "events" (string keys and values, record timestamps in event time):
//   upper           every value in upper case (stateless)
//   counts          records per key: GroupByKey().Count() with a changelog topic
//   counts-by-value records per value: SelectKey(value) forces a repartition topic, then Count()
//   window-counts   records per key and one-minute tumbling window, keyed "key@windowStartMs"
// Counts are written with Streamiz's Int64SerDes (BitConverter: 8 bytes in the machine's byte order). Stores are in memory without caching, so every update
// is written. The host prints "RUNNING" once the application has its partitions and runs until its standard
// input closes or it is killed.
//
// Usage: Freshet.Streamiz.TestHost BOOTSTRAP APPLICATION_ID at-least-once|exactly-once
if (args.Length != 3 || args[2] is not ("at-least-once" or "exactly-once"))
{
    Console.Error.WriteLine("usage: Freshet.Streamiz.TestHost BOOTSTRAP APPLICATION_ID at-least-once|exactly-once");
    return 2;
}

var stateDirectory = Path.Combine(Path.GetTempPath(), "freshet-streamiz-" + Guid.NewGuid().ToString("N"));
var config = new StreamConfig<StringSerDes, StringSerDes>
{
    ApplicationId = args[1],
    BootstrapServers = args[0],
    AutoOffsetReset = AutoOffsetReset.Earliest,
    CommitIntervalMs = 200,

    // Its own state directory: the stores are in memory, and concurrent test runs must not share Streamiz's
    // default (/tmp/streamiz-kafka-net), which holds a process id and locks per application id.
    StateDir = stateDirectory,
    Guarantee = args[2] == "exactly-once" ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE,
};

var builder = new StreamBuilder();
var events = builder.Stream<string, string>("events");
events.MapValues<string>((value, _) => value.ToUpperInvariant()).To("upper");
events.GroupByKey()
    .Count(InMemory.As<string, long>("counts-store"))
    .ToStream()
    .To("counts", new StringSerDes(), new Int64SerDes());
events.SelectKey<string>((_, value, _) => value)
    .GroupByKey()
    .Count(InMemory.As<string, long>("counts-by-value-store"))
    .ToStream()
    .To("counts-by-value", new StringSerDes(), new Int64SerDes());
events.GroupByKey()
    .WindowedBy(TumblingWindowOptions.Of(TimeSpan.FromMinutes(1)))
    .Count(InMemoryWindows.As<string, long>("window-counts-store"))
    .ToStream()
    .Map<string, long>((window, count, _) => KeyValuePair.Create(window.Key + "@" + window.Window.StartMs, count))
    .To("window-counts", new StringSerDes(), new Int64SerDes());

using var stream = new KafkaStream(builder.Build(), config);
var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
stream.StateChanged += (_, state) =>
{
    if (state == KafkaStream.State.RUNNING)
    {
        running.TrySetResult();
    }
    else if (state == KafkaStream.State.ERROR)
    {
        Console.Error.WriteLine("the application entered the ERROR state");
        Environment.Exit(3);
    }
};

await stream.StartAsync();
await running.Task;
Console.WriteLine("RUNNING");

// Runs until the test closes standard input (a clean stop) or kills the process.
await Console.In.ReadToEndAsync();
stream.Dispose();
if (Directory.Exists(stateDirectory))
{
    Directory.Delete(stateDirectory, recursive: true);
}

return 0;
