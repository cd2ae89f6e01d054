using Freshet.Sql.Connectors;
using Freshet.Streaming.Tables;
using static Freshet.Sql.Tests.Connectors.ConnectorTestSupport;

namespace Freshet.Sql.Tests.Connectors;

/// <summary>The <c>filesystem</c>, <c>print</c> and <c>blackhole</c> connectors, with real files in a temporary directory.</summary>
public sealed class FileAndPrintConnectorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-sql-files", Guid.NewGuid().ToString("N"));

    public FileAndPrintConnectorTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task FilesystemSinkThenSource_Csv_RoundTripsRows()
    {
        var path = Path.Combine(_directory, "out");
        var table = Table($"CREATE TABLE t (id INT, name STRING, at TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '{path}', 'format' = 'csv')");
        var rows = new[] { new Row(1, "a, b", new DateTime(2024, 1, 1, 12, 0, 0)), new Row(2, null, null), new Row(3, string.Empty, new DateTime(2024, 1, 1, 12, 0, 0, 250)) };
        var environment = Environment();
        TableConnectors.CreateAppendSink(Inserts(environment, rows), table, new SqlConnectorContext(environment, null, null));
        await RunAsync(environment);
        Assert.Equal(["1,\"a, b\",2024-01-01 12:00:00", "2,,", "3,\"\",2024-01-01 12:00:00.25"], Directory.GetFiles(path).SelectMany(File.ReadAllLines));

        environment = Environment();
        var sink = new CollectSink();
        TableConnectors.CreateSource(table, new SqlConnectorContext(environment, null, null), null).SinkTo(sink);
        await RunAsync(environment);
        Assert.Equal(rows, sink.Changes.Select(c => c.Row));
    }

    [Fact]
    public async Task FilesystemSource_WatermarkStrategyAssigner_SeesDecodedRows()
    {
        var file = Path.Combine(_directory, "events.csv");
        await File.WriteAllLinesAsync(file, ["a,1970-01-01 00:00:01", "b,1970-01-01 00:00:02.5"]);
        var table = Table($"CREATE TABLE t (k STRING, ts TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv')");
        var watermarks = Freshet.Streaming.Time.WatermarkStrategy.ForBoundedOutOfOrderness<Change<Row>>(TimeSpan.Zero)
            .WithTimestampAssigner((change, _) => (long)((DateTime)change.Row[1]! - DateTime.UnixEpoch).TotalMilliseconds);
        var environment = Environment();
        var sink = new CollectSink();
        TableConnectors.CreateSource(table, new SqlConnectorContext(environment, null, null), watermarks).SinkTo(sink);
        await RunAsync(environment);
        Assert.Equal([1_000L, 2_500L], sink.Timed.Select(t => t.Timestamp));
    }

    [Fact]
    public async Task FilesystemSource_JsonBadLine_FailsNamingTheFile()
    {
        var file = Path.Combine(_directory, "in.json");
        await File.WriteAllLinesAsync(file, ["""{"a":1}""", "not json"]);
        var table = Table($"CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'json')");
        var environment = Environment();
        TableConnectors.CreateSource(table, new SqlConnectorContext(environment, null, null), null).SinkTo(new CollectSink());
        var error = Find<SqlFormatException>(await FailAsync(environment));
        Assert.NotNull(error);
        Assert.Equal(file, error.Location);

        var missing = Table($"CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '{Path.Combine(_directory, "nope")}', 'format' = 'json')");
        var e = Assert.Throws<SqlValidationException>(() => TableConnectors.CreateSource(missing, new SqlConnectorContext(Environment(), null, null), null));
        Assert.EndsWith("which is neither a file nor a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_EveryChangeKind_InFlinkForm()
    {
        var table = Table("CREATE TABLE p (a INT, b STRING) WITH ('connector' = 'print', 'print-identifier' = 'out')");
        var output = new StringWriter();
        var environment = Environment();
        var changes = environment.FromCollection(new[]
        {
            new Change<Row>(RowKind.Insert, new Row(1, "x")),
            new Change<Row>(RowKind.UpdateBefore, new Row(1, "x")),
            new Change<Row>(RowKind.UpdateAfter, new Row(1, "y")),
            new Change<Row>(RowKind.Delete, new Row(1, null)),
        });
        TableConnectors.CreateAppendSink(changes, table, new SqlConnectorContext(environment, null, null) { PrintOutput = output });
        var blackhole = Table("CREATE TABLE b (a INT, b STRING) WITH ('connector' = 'blackhole')");
        TableConnectors.CreateAppendSink(changes, blackhole, new SqlConnectorContext(environment, null, null));
        await RunAsync(environment);
        Assert.Equal(["out> +I[1, x]", "out> -U[1, x]", "out> +U[1, y]", "out> -D[1, null]"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Validate_FilesystemAndPrintOptions()
    {
        var noFormat = Table("CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '/tmp/x')");
        Assert.StartsWith("Table 't': Option 'format' is required", Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(noFormat)).Message, StringComparison.Ordinal);
        var badSize = Table("CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '/tmp/x', 'format' = 'csv', 'sink.rolling-policy.file-size' = 'big')");
        Assert.Equal(
            "Table 't': Option 'sink.rolling-policy.file-size' must be a positive size such as '128mb', but is 'big'",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(badSize)).Message);
        var printOption = Table("CREATE TABLE t (a INT) WITH ('connector' = 'print', 'print-prefix' = 'x')");
        Assert.Equal(
            "Table 't': Unsupported option 'print-prefix' for connector 'print'; supported options: 'print-identifier', 'sink.parallelism', 'standard-error'",
            Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(printOption)).Message);
        var datagen = Table("CREATE TABLE t (a INT) WITH ('connector' = 'datagen')");
        Assert.StartsWith("Table 't': connector 'datagen' is not available yet", Assert.Throws<SqlValidationException>(() => TableConnectors.Validate(datagen)).Message, StringComparison.Ordinal);
    }
}
