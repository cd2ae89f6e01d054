using System.Text;
using Freshet.Log.Records;
using Freshet.Sql.Catalog;
using Freshet.Sql.Connectors;
using Freshet.Streaming.Tables;
using static Freshet.Sql.Tests.Connectors.ConnectorTestSupport;

namespace Freshet.Sql.Tests.Connectors;

/// <summary>The <c>freshet-log</c> connector against a real log store: rows written by the sink read back by the source.</summary>
public sealed class LogTableConnectorTests : IDisposable
{
    private readonly TempLogStore _log = new();

    public void Dispose() => _log.Dispose();

    private SqlConnectorContext Context(Freshet.Streaming.StreamEnvironment environment) => new(environment, _log.Store, null);

    private async Task<List<Change<Row>>> ReadAsync(CatalogTable table)
    {
        var environment = Environment();
        var sink = new CollectSink();
        TableConnectors.CreateSource(table, Context(environment), null).SinkTo(sink);
        await RunAsync(environment);
        return [.. sink.Changes];
    }

    private async Task WriteAsync(CatalogTable table, params Row[] rows)
    {
        var environment = Environment();
        TableConnectors.CreateAppendSink(Inserts(environment, rows), table, Context(environment));
        await RunAsync(environment);
    }

    [Fact]
    public async Task SinkThenSource_JsonWithKeyAndMetadata_RoundTripsRowsAndFillsMetadata()
    {
        var sinkTable = Table("""
            CREATE TABLE orders (id BIGINT, item STRING, price DECIMAL(10, 2), ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp')
            WITH ('connector' = 'freshet-log', 'topic' = 'orders', 'key.format' = 'json', 'key.fields' = 'id', 'value.format' = 'json')
            """);
        var t1 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var t2 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_005_000);
        await WriteAsync(sinkTable, new Row(1L, "apple", 1.50m, t1), new Row(2L, "pear", null, t2));

        var records = _log.Store.GetPartition("orders", 0);
        Assert.Equal(2, records.LogEndOffset);

        var sourceTable = Table("""
            CREATE TABLE orders (
              id BIGINT, item STRING, price DECIMAL(10, 2), total AS price * 2,
              ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', `offset` BIGINT METADATA VIRTUAL, part INT METADATA FROM 'partition' VIRTUAL,
              tp STRING METADATA FROM 'topic' VIRTUAL, headers MAP<STRING, BYTES> METADATA VIRTUAL)
            WITH ('connector' = 'freshet-log', 'topic' = 'orders', 'key.format' = 'json', 'key.fields' = 'id', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY', 'scan.bounded.mode' = 'latest-offset')
            """);
        Assert.Equal(["id", "item", "price", "ts", "offset", "part", "tp", "headers"], TableConnectors.SourceColumns(sourceTable).Select(c => c.Name));
        var changes = await ReadAsync(sourceTable);
        Assert.Equal(
            [
                new Change<Row>(RowKind.Insert, new Row(1L, "apple", 1.50m, t1, 0L, 0, "orders", new Dictionary<object, object?>())),
                new Change<Row>(RowKind.Insert, new Row(2L, "pear", null, t2, 1L, 0, "orders", new Dictionary<object, object?>())),
            ],
            changes);
    }

    [Fact]
    public async Task Source_HeadersAndTimestampAsTimestamp3_AreRead()
    {
        _log.Store.CreateTopic("h", 1);
        Append(_log.Store, "h", 0, new LogRecord(86_400_000, null, "x"u8.ToArray(), [new RecordHeader("a", [1, 2]), new RecordHeader("b", null)]));
        var table = Table("""
            CREATE TABLE h (line STRING, hs MAP<STRING, BYTES> METADATA FROM 'headers', ts TIMESTAMP(3) METADATA FROM 'timestamp')
            WITH ('connector' = 'freshet-log', 'topic' = 'h', 'format' = 'raw', 'scan.bounded.mode' = 'latest-offset')
            """);
        var change = Assert.Single(await ReadAsync(table));
        Assert.Equal(new Row("x", new Dictionary<object, object?> { ["a"] = new byte[] { 1, 2 }, ["b"] = null }, new DateTime(1970, 1, 2)), change.Row);
    }

    [Fact]
    public async Task Source_StartupModes_StartWhereAsked()
    {
        _log.Store.CreateTopic("s", 2);
        for (var i = 0; i < 4; i++)
        {
            Append(_log.Store, "s", 0, new LogRecord(1000 * i, null, Encoding.UTF8.GetBytes($"p0-{i}")));
            Append(_log.Store, "s", 1, new LogRecord(1000 * i, null, Encoding.UTF8.GetBytes($"p1-{i}")));
        }

        async Task<string[]> Read(string options)
        {
            var table = Table($"CREATE TABLE s (v STRING) WITH ('connector' = 'freshet-log', 'topic' = 's', 'format' = 'raw', 'scan.bounded.mode' = 'latest-offset'{options})");
            return (await ReadAsync(table)).Select(c => (string)c.Row[0]!).Order(StringComparer.Ordinal).ToArray();
        }

        Assert.Equal(8, (await Read(string.Empty)).Length);
        Assert.Empty(await Read(", 'scan.startup.mode' = 'latest-offset'"));
        Assert.Equal(["p0-2", "p0-3", "p1-2", "p1-3"], await Read(", 'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '2000'"));
        Assert.Equal(["p0-3", "p1-1", "p1-2", "p1-3"], await Read(", 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0,offset:3;partition:1,offset:1'"));

        // A first read commits its positions to the group; after two more records, group-offsets reads only those.
        Assert.Equal(8, (await Read(", 'properties.group.id' = 'g1'")).Length);
        Append(_log.Store, "s", 0, new LogRecord(9000, null, "p0-4"u8.ToArray()));
        Append(_log.Store, "s", 1, new LogRecord(9000, null, "p1-4"u8.ToArray()));
        Assert.Equal(["p0-4", "p1-4"], await Read(", 'scan.startup.mode' = 'group-offsets', 'properties.group.id' = 'g1'"));
    }

    [Fact]
    public async Task UpsertSource_TombstoneIsDeleteWithKeyColumnsSet()
    {
        _log.Store.CreateTopic("users", 1);
        Append(
            _log.Store,
            "users",
            0,
            new LogRecord(1, """{"id":7}"""u8.ToArray(), """{"id":7,"name":"ann","age":30}"""u8.ToArray()),
            new LogRecord(2, """{"id":7}"""u8.ToArray(), null),
            new LogRecord(3, """{"id":8}"""u8.ToArray(), """{"id":8,"name":"bob"}"""u8.ToArray()));
        var table = Table("""
            CREATE TABLE users (id INT, name STRING, age INT, PRIMARY KEY (id) NOT ENFORCED)
            WITH ('connector' = 'freshet-log', 'topic' = 'users', 'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset')
            """);
        Assert.True(table.IsUpsertSource);
        Assert.Equal(
            [
                new Change<Row>(RowKind.Insert, new Row(7, "ann", 30)),
                new Change<Row>(RowKind.Delete, new Row(7, null, null)),
                new Change<Row>(RowKind.Insert, new Row(8, "bob", null)),
            ],
            await ReadAsync(table));

        var (key, value) = TableConnectors.UpsertEncoders(table);
        Assert.Equal("""{"id":7}""", Encoding.UTF8.GetString(key(new Row(7, "ann", 30))!));
        Assert.Equal("""{"id":7,"name":"ann","age":30}""", Encoding.UTF8.GetString(value(new Row(7, "ann", 30))!));
    }

    [Fact]
    public async Task Source_BadRecord_FailsJobNamingTopicPartitionOffset()
    {
        _log.Store.CreateTopic("bad", 1);
        Append(_log.Store, "bad", 0, new LogRecord(1, null, """{"a":1}"""u8.ToArray()), new LogRecord(2, null, "{oops"u8.ToArray()), new LogRecord(3, null, """{"a":3}"""u8.ToArray()));
        var table = Table("CREATE TABLE bad (a INT) WITH ('connector' = 'freshet-log', 'topic' = 'bad', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset')");
        var environment = Environment();
        TableConnectors.CreateSource(table, Context(environment), null).SinkTo(new CollectSink());
        var error = Find<SqlFormatException>(await FailAsync(environment));
        Assert.NotNull(error);
        Assert.Equal("bad/0 offset 1", error.Location);
        Assert.Contains("Cannot decode a json record: not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(record at bad/0 offset 1)", error.Message, StringComparison.Ordinal);

        var lenient = Table("CREATE TABLE bad (a INT) WITH ('connector' = 'freshet-log', 'topic' = 'bad', 'format' = 'json', 'json.ignore-parse-errors' = 'true', 'scan.bounded.mode' = 'latest-offset')");
        Assert.Equal([new Row(1), new Row(3)], (await ReadAsync(lenient)).Select(c => c.Row));
    }

    [Fact]
    public async Task Sink_CsvWithoutKey_WritesOneRecordPerRowWithNullKey()
    {
        var table = Table("CREATE TABLE out (a INT, b STRING) WITH ('connector' = 'freshet-log', 'topic' = 'out', 'format' = 'csv')");
        await WriteAsync(table, new Row(1, "x,y"), new Row(2, null));
        var partition = _log.Store.GetPartition("out", 0);
        var records = RecordBatchReader.ReadRecords(partition.Read(0, 1 << 20).Records).ToList();
        Assert.Equal(["1,\"x,y\"", "2,"], records.Select(r => Encoding.UTF8.GetString(r.Value!)));
        Assert.All(records, r => Assert.Null(r.Key));
    }

    [Fact]
    public async Task Source_EventTimeIsTheRecordTimestamp()
    {
        _log.Store.CreateTopic("times", 1);
        Append(_log.Store, "times", 0, new LogRecord(5_000, null, "a"u8.ToArray()), new LogRecord(7_000, null, "b"u8.ToArray()));
        var table = Table("CREATE TABLE times (v STRING) WITH ('connector' = 'freshet-log', 'topic' = 'times', 'format' = 'raw', 'scan.bounded.mode' = 'latest-offset')");
        var environment = Environment();
        var sink = new CollectSink();
        TableConnectors.CreateSource(table, Context(environment), null).SinkTo(sink);
        await RunAsync(environment);
        Assert.Equal([5_000L, 7_000L], sink.Timed.Select(t => t.Timestamp));
    }

    [Fact]
    public async Task Sink_ExactlyOnceWithCheckpoints_CommitsRowsInALogTransaction()
    {
        var checkpoints = Path.Combine(_log.Directory, "checkpoints");
        var table = Table("CREATE TABLE eo (a INT) WITH ('connector' = 'freshet-log', 'topic' = 'eo', 'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = 'eo-test')");
        var environment = Freshet.Streaming.StreamEnvironment.Create(new Freshet.Streaming.StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new Freshet.Streaming.CheckpointingOptions { Directory = checkpoints, Interval = TimeSpan.FromMilliseconds(50) },
        });
        TableConnectors.CreateAppendSink(Inserts(environment, new Row(1), new Row(2), new Row(3)), table, Context(environment));
        await RunAsync(environment);

        var partition = _log.Store.GetPartition("eo", 0);
        var batches = RecordBatchReader.ReadBatches(partition.Read(0, 1 << 20).Records).ToList();
        Assert.Contains(batches, b => b.Header.IsControl);
        var values = batches.Where(b => !b.Header.IsControl).SelectMany(b => RecordBatchReader.DecodeBatch(b.Bytes.Span)).Select(r => Encoding.UTF8.GetString(r.Value!));
        Assert.Equal(["""{"a":1}""", """{"a":2}""", """{"a":3}"""], values);
    }

    public static TheoryData<string, string> InvalidTables() => new()
    {
        { "'topic' = 't', 'format' = 'json', 'scan.startup.mode' = 'earliest'", "Table 'x': Option 'scan.startup.mode' must be one of 'earliest-offset', 'latest-offset', 'group-offsets', 'timestamp', 'specific-offsets', but is 'earliest'" },
        { "'format' = 'json'", "Table 'x': Option 'topic' is required: the topic to read and write" },
        { "'topic' = 't'", "Table 'x': Option 'value.format' (or 'format') is required: the format of the record values; known formats: 'csv', 'json', 'raw'" },
        { "'topic' = 't', 'format' = 'json', 'scan.startup.mode' = 'group-offsets'", "Table 'x': 'scan.startup.mode' = 'group-offsets' needs 'properties.group.id'" },
        { "'topic' = 't', 'format' = 'json', 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0;offset:1'", "Table 'x': Option 'scan.startup.specific-offsets' has an invalid entry 'partition:0'; expected 'partition:0,offset:42;partition:1,offset:300' with each partition once" },
        { "'topic' = 't', 'format' = 'json', 'scan.bounded.mode' = 'timestamp'", "Table 'x': Option 'scan.bounded.mode' must be one of 'unbounded', 'latest-offset', but is 'timestamp'" },
        { "'topic' = 't', 'format' = 'json', 'sink.delivery-guarantee' = 'twice'", "Table 'x': Option 'sink.delivery-guarantee' must be one of 'at-least-once', 'exactly-once', 'none', but is 'twice'" },
        { "'topic' = 't', 'format' = 'json', 'scan.startup.timestamp-millis' = '5'", "Table 'x': Option 'scan.startup.timestamp-millis' needs 'scan.startup.mode' = 'timestamp'" },
        { "'topic' = 't', 'format' = 'json', 'csv.field-delimiter' = ';'", "Table 'x': Unsupported option 'csv.field-delimiter' for connector 'freshet-log'; supported options: 'format', 'json.encode.ignore-null-fields', 'json.fail-on-missing-field', 'json.ignore-parse-errors', 'json.timestamp-format.standard', 'key.fields', 'key.fields-prefix', 'key.format', 'properties.auto.offset.reset', 'properties.group.id', 'scan.bounded.mode', 'scan.startup.mode', 'scan.startup.specific-offsets', 'scan.startup.timestamp-millis', 'sink.delivery-guarantee', 'sink.parallelism', 'sink.partitioner', 'sink.transactional-id-prefix', 'topic', 'topic-pattern', 'value.fields-include', 'value.format'" },
        { "'topic' = 't', 'key.format' = 'json', 'format' = 'json'", "Table 'x': Option 'key.format' needs 'key.fields': the columns the record key holds, separated by ';'" },
        { "'topic' = 't', 'key.format' = 'json', 'key.fields' = 'zz', 'format' = 'json'", "Table 'x': Option 'key.fields' names 'zz', which is not a physical column; physical columns: 'a', 'b'" },
        { "'topic' = 't', 'format' = 'raw'", "Table 'x': The raw format needs exactly one column of type STRING or BYTES, but has 'a' INT, 'b' STRING" },
    };

    [Theory]
    [MemberData(nameof(InvalidTables))]
    public void Validate_InvalidOptions_NamesTheOptionAndAllowedValues(string options, string message)
    {
        var table = Table($"CREATE TABLE x (a INT, b STRING) WITH ('connector' = 'freshet-log', {options})");
        var e = Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(table));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Validate_MetadataColumns_KeyTypeAndWritability()
    {
        var unknown = Table("CREATE TABLE x (a STRING, k STRING METADATA FROM 'key') WITH ('connector' = 'freshet-log', 'topic' = 't', 'format' = 'json')");
        Assert.Equal(
            "Table 'x': Metadata column 'k' reads unknown key 'key'; the freshet-log connector has 'timestamp', 'offset', 'partition', 'topic', 'headers'",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(unknown)).Message);
        var wrongType = Table("CREATE TABLE x (a STRING, o INT METADATA FROM 'offset') WITH ('connector' = 'freshet-log', 'topic' = 't', 'format' = 'json')");
        Assert.Equal("Table 'x': Metadata column 'o' ('offset') must be BIGINT, but is INT", Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(wrongType)).Message);

        var writesOffset = Table("CREATE TABLE x (a STRING, o BIGINT METADATA FROM 'offset') WITH ('connector' = 'freshet-log', 'topic' = 't', 'format' = 'json')");
        TableConnectors.Validate(writesOffset);
        var environment = Environment();
        var e = Assert.Throws<SqlValidationException>(() => TableConnectors.CreateAppendSink(Inserts(environment), writesOffset, Context(environment)));
        Assert.Equal("Table 'x': Metadata column 'o' ('offset') cannot be written; declare it VIRTUAL (only 'timestamp' is writable)", e.Message);
    }

    [Fact]
    public void CreateSourceAndSink_MissingStoreTopicOrUpsertAppend_AreRefused()
    {
        var table = Table("CREATE TABLE x (a STRING) WITH ('connector' = 'freshet-log', 'topic' = 'absent', 'format' = 'raw')");
        var environment = Environment();
        Assert.Equal("Table 'x': topic 'absent' does not exist in the embedded log store", Assert.Throws<SqlValidationException>(() => TableConnectors.CreateSource(table, Context(environment), null)).Message);
        Assert.Equal(
            "Table 'x': connector 'freshet-log' needs the job's embedded log store, and the job has none",
            Assert.Throws<SqlValidationException>(() => TableConnectors.CreateSource(table, new SqlConnectorContext(environment, null, null), null)).Message);
        var upsert = Table("CREATE TABLE u (a STRING, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'freshet-log', 'topic' = 'u', 'key.format' = 'raw', 'format' = 'raw')");
        Assert.Equal(
            "Table 'u': connector 'freshet-log' with a primary key is written by an upsert sink, not an append sink",
            Assert.Throws<SqlValidationException>(() => TableConnectors.CreateAppendSink(Inserts(environment), upsert, Context(environment))).Message);
        var append = Table("CREATE TABLE p (a STRING) WITH ('connector' = 'print')");
        Assert.Equal("Table 'p': connector 'print' without a primary key is not an upsert table", Assert.Throws<SqlValidationException>(() => TableConnectors.UpsertEncoders(append)).Message);
    }
}
