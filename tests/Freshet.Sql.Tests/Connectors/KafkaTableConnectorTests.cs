using System.Text;
using Freshet.Broker;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Sql.Catalog;
using Freshet.Sql.Connectors;
using Freshet.Streaming.Tables;
using static Freshet.Sql.Tests.Connectors.ConnectorTestSupport;

namespace Freshet.Sql.Tests.Connectors;

/// <summary>The <c>kafka</c> and <c>upsert-kafka</c> connectors against a real Freshet broker on 127.0.0.1, through Confluent.Kafka.</summary>
public sealed class KafkaTableConnectorTests : IAsyncLifetime
{
    private readonly TempLogStore _log = new();
    private KafkaBroker _broker = null!;

    private LogStore Store => _log.Store;

    public async Task InitializeAsync() => _broker = await KafkaBroker.StartAsync(_log.Store, new BrokerOptions { AutoCreateTopics = false });

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _log.Dispose();
    }

    private SqlConnectorContext Context(Freshet.Streaming.StreamEnvironment environment) => new(environment, null, _broker.BootstrapAddress);

    private async Task<List<Change<Row>>> ReadAsync(CatalogTable table)
    {
        var environment = Environment();
        var sink = new CollectSink();
        TableConnectors.CreateSource(table, Context(environment), null).SinkTo(sink);
        await RunAsync(environment);
        return [.. sink.Changes];
    }

    [Fact]
    public async Task SinkThenSource_KeyedJsonWithTimestamp_RoundTripsThroughTheBroker()
    {
        Store.CreateTopic("clicks", 3);
        var sinkTable = Table($"""
            CREATE TABLE clicks (user_id STRING, url STRING, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp')
            WITH ('connector' = 'kafka', 'topic' = 'clicks', 'properties.bootstrap.servers' = '{_broker.BootstrapAddress}',
                  'key.format' = 'raw', 'key.fields' = 'user_id', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY')
            """);
        var rows = Enumerable.Range(0, 30).Select(i => new Row("user" + (i % 5), "/page/" + i, DateTimeOffset.FromUnixTimeMilliseconds(1_000_000 + i))).ToArray();
        var environment = Environment();
        TableConnectors.CreateAppendSink(Inserts(environment, rows), sinkTable, Context(environment));
        await RunAsync(environment);

        // Keyed records: every record of a user is in one partition, with the value holding only the non-key columns.
        var stored = Enumerable.Range(0, 3).SelectMany(p => RecordBatchReader.ReadRecords(Store.GetPartition("clicks", p).Read(0, 1 << 20).Records).Select(r => (p, r))).ToList();
        Assert.Equal(30, stored.Count);
        Assert.All(stored.GroupBy(x => Encoding.UTF8.GetString(x.r.Key!)), g => Assert.Single(g.Select(x => x.p).Distinct()));
        Assert.Contains(stored, x => Encoding.UTF8.GetString(x.r.Value!) == """{"url":"/page/0"}""" && x.r.Timestamp == 1_000_000);

        var sourceTable = Table("""
            CREATE TABLE clicks (user_id STRING, url STRING, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', p INT METADATA FROM 'partition' VIRTUAL, o BIGINT METADATA FROM 'offset' VIRTUAL)
            WITH ('connector' = 'kafka', 'topic' = 'clicks', 'key.format' = 'raw', 'key.fields' = 'user_id', 'value.format' = 'json',
                  'value.fields-include' = 'EXCEPT_KEY', 'scan.bounded.mode' = 'latest-offset')
            """);
        var read = await ReadAsync(sourceTable);
        Assert.Equal(30, read.Count);
        Assert.All(read, c => Assert.Equal(RowKind.Insert, c.Kind));
        Assert.Equal(rows.OrderBy(r => (string)r[1]!, StringComparer.Ordinal), read.Select(c => new Row(c.Row[0], c.Row[1], c.Row[2])).OrderBy(r => (string)r[1]!, StringComparer.Ordinal));
        foreach (var change in read)
        {
            var (partition, record) = stored.Single(x => Encoding.UTF8.GetString(x.r.Value!).Contains((string)change.Row[1]! + "\"", StringComparison.Ordinal));
            Assert.Equal(partition, change.Row[3]);
            Assert.Equal(record.Offset, change.Row[4]);
        }
    }

    [Fact]
    public async Task Source_StartupModesAndHeaders_OverTheBroker()
    {
        Store.CreateTopic("s", 2);
        for (var i = 0; i < 3; i++)
        {
            Append(Store, "s", 0, new LogRecord(1000 * i, null, Encoding.UTF8.GetBytes($"p0-{i}"), [new RecordHeader("n", [(byte)i])]));
            Append(Store, "s", 1, new LogRecord(1000 * i, null, Encoding.UTF8.GetBytes($"p1-{i}")));
        }

        async Task<List<Row>> Read(string options)
        {
            var table = Table($"CREATE TABLE s (v STRING, h MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL) WITH ('connector' = 'kafka', 'topic' = 's', 'format' = 'raw', 'scan.bounded.mode' = 'latest-offset'{options})");
            return (await ReadAsync(table)).Select(c => c.Row).OrderBy(r => (string)r[0]!, StringComparer.Ordinal).ToList();
        }

        var all = await Read(string.Empty);
        Assert.Equal(6, all.Count);
        Assert.Equal(new Row("p0-1", new Dictionary<object, object?> { ["n"] = new byte[] { 1 } }), all[1]);
        Assert.Equal(new Row("p1-0", new Dictionary<object, object?>()), all[3]);
        Assert.Equal(["p0-2", "p1-1", "p1-2"], (await Read(", 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0,offset:2;partition:1,offset:1'")).Select(r => r[0]));
        Assert.Equal(["p0-2", "p1-2"], (await Read(", 'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '1500'")).Select(r => r[0]));

        // The first read commits its positions to the group at end of input; group-offsets then reads only what came after.
        Assert.Equal(6, (await Read(", 'properties.group.id' = 'sql-g'")).Count);
        Append(Store, "s", 1, new LogRecord(9000, null, "p1-3"u8.ToArray()));
        Assert.Equal(["p1-3"], (await Read(", 'scan.startup.mode' = 'group-offsets', 'properties.group.id' = 'sql-g'")).Select(r => r[0]));
    }

    [Fact]
    public async Task UpsertKafkaSource_TombstonesBecomeDeletes()
    {
        Store.CreateTopic("prices", 1);
        Append(
            Store,
            "prices",
            0,
            new LogRecord(10, "AAPL"u8.ToArray(), "AAPL,190.5"u8.ToArray()),
            new LogRecord(11, "MSFT"u8.ToArray(), "MSFT,410"u8.ToArray()),
            new LogRecord(12, "AAPL"u8.ToArray(), null),
            new LogRecord(13, "AAPL"u8.ToArray(), "AAPL,191"u8.ToArray()));
        var table = Table("""
            CREATE TABLE prices (sym STRING, price DOUBLE, PRIMARY KEY (sym) NOT ENFORCED)
            WITH ('connector' = 'upsert-kafka', 'topic' = 'prices', 'key.format' = 'raw', 'value.format' = 'csv', 'scan.bounded.mode' = 'latest-offset')
            """);
        Assert.Equal(
            [
                new Change<Row>(RowKind.Insert, new Row("AAPL", 190.5)),
                new Change<Row>(RowKind.Insert, new Row("MSFT", 410.0)),
                new Change<Row>(RowKind.Delete, new Row("AAPL", null)),
                new Change<Row>(RowKind.Insert, new Row("AAPL", 191.0)),
            ],
            await ReadAsync(table));

        var (key, value) = TableConnectors.UpsertEncoders(table);
        Assert.Equal("MSFT"u8.ToArray(), key(new Row("MSFT", 1.5)));
        Assert.Equal("MSFT,1.5"u8.ToArray(), value(new Row("MSFT", 1.5)));
    }

    [Fact]
    public async Task Source_BadRecord_FailsNamingTheRecordOrIsSkipped()
    {
        Store.CreateTopic("events", 1);
        Append(Store, "events", 0, new LogRecord(1, null, "1,a"u8.ToArray()), new LogRecord(2, null, "x,b"u8.ToArray()), new LogRecord(3, null, "3,c"u8.ToArray()));
        var strict = Table("CREATE TABLE events (n INT, s STRING) WITH ('connector' = 'kafka', 'topic' = 'events', 'format' = 'csv', 'scan.bounded.mode' = 'latest-offset')");
        var environment = Environment();
        TableConnectors.CreateSource(strict, Context(environment), null).SinkTo(new CollectSink());
        var error = Find<SqlFormatException>(await FailAsync(environment));
        Assert.NotNull(error);
        Assert.Equal("events/0 offset 1", error.Location);
        Assert.Contains("field 1 ('n' of type INT) cannot be read from 'x'", error.Message, StringComparison.Ordinal);

        var lenient = Table("CREATE TABLE events (n INT, s STRING) WITH ('connector' = 'kafka', 'topic' = 'events', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true', 'scan.bounded.mode' = 'latest-offset')");
        Assert.Equal([new Row(1, "a"), new Row(3, "c")], (await ReadAsync(lenient)).Select(c => c.Row));
    }

    [Fact]
    public void Validate_KafkaWithoutCluster_IsAnErrorOnlyWithoutDefault()
    {
        var table = Table("CREATE TABLE k (s STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'raw', 'properties.client.id' = 'me')");
        TableConnectors.Validate(table);
        var environment = Environment();
        var e = Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(table, new SqlConnectorContext(environment, null, null)));
        Assert.Equal("Table 'k': Option 'properties.bootstrap.servers' is required: the Kafka cluster to connect to (no default cluster is configured)", e.Message);
        TableConnectors.Validate(table, Context(environment));

        var exactlyOnce = Table("CREATE TABLE k (s STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'raw', 'sink.delivery-guarantee' = 'exactly-once')");
        Assert.Equal(
            "Table 'k': Option 'sink.transactional-id-prefix' is required with 'sink.delivery-guarantee' = 'exactly-once'",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(exactlyOnce)).Message);
        var keyed = Table("CREATE TABLE k (s STRING, PRIMARY KEY (s) NOT ENFORCED) WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'raw')");
        Assert.Equal(
            "Table 'k': The kafka connector does not support a PRIMARY KEY; use the upsert-kafka connector for a table keyed by it",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(keyed)).Message);
        var upsertFormat = Table("CREATE TABLE u (s STRING, PRIMARY KEY (s) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 't', 'key.format' = 'raw', 'format' = 'raw')");
        Assert.Equal(
            "Table 'u': The upsert-kafka connector takes 'key.format' and 'value.format', not 'format'",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(upsertFormat)).Message);
        var upsertStartup = Table("CREATE TABLE u (s STRING, PRIMARY KEY (s) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 't', 'key.format' = 'raw', 'value.format' = 'raw', 'scan.startup.mode' = 'latest-offset')");
        Assert.StartsWith(
            "Table 'u': Unsupported option 'scan.startup.mode' for connector 'upsert-kafka'",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(upsertStartup)).Message,
            StringComparison.Ordinal);
    }
}
