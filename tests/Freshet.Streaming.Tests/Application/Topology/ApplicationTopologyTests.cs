using System.Security.Cryptography;
using System.Text;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tests.Application.Topology;

public sealed class ApplicationTopologyTests
{
    private static StreamEnvironment Environment() => StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });

    private static DataStream<string> Kafka(StreamEnvironment env, string topic) =>
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = "127.0.0.1:9", Topic = topic }, Serializers.Utf8String);

    private static ApplicationTopology Build(StreamEnvironment env, string applicationId = "orders") => ApplicationTopology.Build(applicationId, env.Nodes);

    [Fact]
    public void Build_ChainWithoutKeyExchange_IsOneSubTopologyReadingTheSourceTopic()
    {
        var env = Environment();
        Kafka(env, "in").Map(static s => s.Length).Filter(static n => n > 0).Print();

        var topology = Build(env);

        var only = Assert.Single(topology.SubTopologies);
        Assert.Equal(env.Nodes.Count, only.Nodes.Count);
        Assert.Equal(["in"], only.SourceTopics);
        Assert.Empty(topology.RepartitionEdges);
    }

    [Fact]
    public void Build_KeyBy_CutsTheGraphIntoTwoSubTopologiesJoinedByARepartitionTopicNamedAfterTheConsumer()
    {
        var env = Environment();
        Kafka(env, "in").Map(static s => s.ToUpperInvariant()).KeyBy(static s => s).Reduce(static (a, b) => a + b).Uid("concat").Print();

        var topology = Build(env);

        Assert.Equal(2, topology.SubTopologies.Count);
        var edge = Assert.Single(topology.RepartitionEdges);
        Assert.Equal("orders-concat-repartition", edge.Topic);
        Assert.Equal((0, 1), (edge.FromSubTopology, edge.ToSubTopology));
        Assert.Equal(["Kafka Source: in", "Map"], topology.SubTopologies[0].Nodes.Select(static n => n.Name));
        Assert.Equal(edge, Assert.Single(topology.SubTopologies[0].RepartitionOutputs));
        Assert.Equal(edge, Assert.Single(topology.SubTopologies[1].RepartitionInputs));
        Assert.Equal(["orders-concat-repartition"], topology.SubTopologies[1].InputTopics);
        Assert.Contains(topology.SubTopologies[1].Nodes, static n => n.Uid == "concat");
    }

    [Fact]
    public void Build_DefaultUid_IsSanitisedIntoALegalTopicName()
    {
        var env = Environment();
        Kafka(env, "in").KeyBy(static s => s).Reduce(static (a, b) => a + b).Print();

        var edge = Assert.Single(Build(env, "app.v1").RepartitionEdges);

        Assert.Equal($"app.v1-{edge.Consumer.Id}_Reduce-repartition", edge.Topic);
    }

    [Fact]
    public void Build_KeyedConnectOfTwoTopics_HasOneSubTopologyPerSourceAndOneRepartitionTopicPerInput()
    {
        var env = Environment();
        var orders = Kafka(env, "orders");
        var payments = Kafka(env, "payments");
        orders.Connect(payments).KeyBy(static o => o, static p => p).Process(new PairUp()).Uid("match").Print();

        var topology = Build(env, "shop");

        Assert.Equal(3, topology.SubTopologies.Count);
        Assert.Equal(["orders"], topology.SubTopologies[0].SourceTopics);
        Assert.Equal(["payments"], topology.SubTopologies[1].SourceTopics);
        Assert.Equal(["shop-match-0-repartition", "shop-match-1-repartition"], topology.SubTopologies[2].RepartitionInputs.Select(static e => e.Topic));
    }

    [Fact]
    public void Build_UnionOfTwoTopics_StaysInOneSubTopologyThatReadsBoth()
    {
        var env = Environment();
        Kafka(env, "a").Union(Kafka(env, "b")).Map(static s => s.Length).Print();

        var only = Assert.Single(Build(env).SubTopologies);

        Assert.Equal(["a", "b"], only.SourceTopics);
    }

    [Fact]
    public void CountTasks_ReadsPartitionCountsAndGivesRepartitionTopicsTheWritersTaskCount()
    {
        var env = Environment();
        Kafka(env, "in").KeyBy(static s => s).Reduce(static (a, b) => a + b).Uid("r").Print();
        var topology = Build(env);

        var (tasks, repartition) = topology.CountTasks(new Dictionary<string, int> { ["in"] = 6 }, repartitionPartitions: null);
        var (tasksConfigured, repartitionConfigured) = topology.CountTasks(new Dictionary<string, int> { ["in"] = 6 }, repartitionPartitions: 4);

        Assert.Equal([6, 6], tasks);
        Assert.Equal(6, repartition["orders-r-repartition"]);
        Assert.Equal([6, 4], tasksConfigured);
        Assert.Equal(4, repartitionConfigured["orders-r-repartition"]);
    }

    [Fact]
    public void CountTasks_TopicsOfOneSubTopologyWithDifferentPartitionCounts_AreRefusedNamingBoth()
    {
        var env = Environment();
        Kafka(env, "a").Union(Kafka(env, "b")).Print();
        var topology = Build(env);

        var error = Assert.Throws<InvalidOperationException>(() => topology.CountTasks(new Dictionary<string, int> { ["a"] = 6, ["b"] = 3 }, null));

        Assert.Contains("'a': 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b': 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("co-partitioned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountTasks_MissingSourceTopic_IsRefusedNamingIt()
    {
        var env = Environment();
        Kafka(env, "missing").Print();

        var error = Assert.Throws<InvalidOperationException>(() => Build(env).CountTasks(new Dictionary<string, int>(), null));

        Assert.Contains("'missing' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SourceThatReadsNoKafkaTopic_IsRefusedNamingIt()
    {
        var env = Environment();
        env.FromCollection([1, 2, 3], name: "Numbers").Print();

        var error = Assert.Throws<InvalidOperationException>(() => Build(env));

        Assert.Contains("'Numbers' does not read a Kafka topic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BroadcastEdge_IsRefused()
    {
        var env = Environment();
        Kafka(env, "in").Broadcast().Map(static s => s).Print();

        var error = Assert.Throws<InvalidOperationException>(() => Build(env));

        Assert.Contains("'Broadcast' reads a broadcast input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RepartitionedStreamMergedBackWithItsOrigin_IsRefusedAsACycle()
    {
        var env = Environment();
        var source = Kafka(env, "in");
        var keyed = source.KeyBy(static s => s).Reduce(static (a, b) => a + b);
        source.Union(keyed).Print();

        var error = Assert.Throws<InvalidOperationException>(() => Build(env));

        Assert.Contains("come back into the same sub-topology", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoUidsThatSanitiseToOneTopicName_AreRefusedNamingBoth()
    {
        var env = Environment();
        Kafka(env, "a").KeyBy(static s => s).Reduce(static (x, y) => x + y).Uid("sum:1").Print();
        Kafka(env, "b").KeyBy(static s => s).Reduce(static (x, y) => x + y).Uid("sum_1").Print();

        var error = Assert.Throws<InvalidOperationException>(() => Build(env));

        Assert.Contains("'sum:1' and 'sum_1' would both use the changelog topic 'orders-sum_1-changelog'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoRepartitionTopicsOfOneName_AreRefusedNamingBothUids()
    {
        var env = Environment();
        var a = Kafka(env, "a");
        a.KeyBy(static s => s).Reduce(static (x, y) => x + y).Uid("join-0").Print();
        a.Connect(Kafka(env, "b")).KeyBy(static x => x, static y => y).Process(new PairUp()).Uid("join").Print();

        var error = Assert.Throws<InvalidOperationException>(() => Build(env));

        Assert.Contains("'join-0' and 'join' would both use the repartition topic 'orders-join-0-repartition'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/y")]
    public void Build_InvalidApplicationId_IsRefused(string applicationId)
    {
        var env = Environment();
        Kafka(env, "in").Print();

        var error = Assert.Throws<ArgumentException>(() => Build(env, applicationId));

        Assert.Contains("is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_SameCodeBuiltTwice_IsEqual_AndAnyChangeOfShapeNameUidOrTopicChangesIt()
    {
        static string Fingerprint(string topic = "in", string uid = "concat", string name = "Upper", bool extraFilter = false)
        {
            var env = Environment();
            var stream = Kafka(env, topic).Map(static s => s.ToUpperInvariant()).WithName(name);
            if (extraFilter)
            {
                stream = stream.Filter(static s => s.Length > 0);
            }

            stream.KeyBy(static s => s).Reduce(static (a, b) => a + b).Uid(uid).Print();
            return Build(env).Fingerprint;
        }

        var original = Fingerprint();

        Assert.Matches("^[0-9a-f]{16}$", original);
        Assert.Equal(original, Fingerprint());
        Assert.NotEqual(original, Fingerprint(topic: "other"));
        Assert.NotEqual(original, Fingerprint(uid: "other"));
        Assert.NotEqual(original, Fingerprint(name: "Lower"));
        Assert.NotEqual(original, Fingerprint(extraFilter: true));
    }

    [Fact]
    public void Fingerprint_IsTheSha256OfTheCanonicalDescription_WhichHasNoAssemblyVersions()
    {
        var env = Environment();
        Kafka(env, "in").KeyBy(static s => s.Length).Reduce(static (a, b) => a + b).Uid("r").Print();

        var description = TopologyFingerprint.Describe(env.Nodes);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)).AsSpan(0, 8));

        Assert.Equal(expected, Build(env).Fingerprint);
        Assert.DoesNotContain("Version=", description, StringComparison.Ordinal);
        Assert.Contains("1 Freshet.Streaming.Planning.OneInputTransformation`2<System.String,System.String> name=Reduce uid=r in=0/Hash key=System.Int32", description, StringComparison.Ordinal);
        Assert.Contains("topic=in", description, StringComparison.Ordinal);
    }

    private sealed class PairUp : KeyedCoProcessFunction<string, string, string, string>
    {
        public override void ProcessElement1(string value, KeyedProcessContext<string> context, Collector<string> output) => output.Collect(value);

        public override void ProcessElement2(string value, KeyedProcessContext<string> context, Collector<string> output) => output.Collect(value);
    }
}
