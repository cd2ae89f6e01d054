using System.Text;
using CsCheck;
using Freshet.Sql.Formats;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Formats;

public sealed class JsonRowFormatTests
{
    private static readonly Dictionary<string, string> NoOptions = [];

    private static IRowFormat Json(IReadOnlyList<(string, SqlType)> columns, Dictionary<string, string>? options = null) =>
        RowFormats.Create("json", columns, options ?? NoOptions, string.Empty);

    private static Row? Decode(IRowFormat format, string json) => format.Decode(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void EncodeDecode_RandomRowsOfAllTypes_RoundTrip()
    {
        SqlValueGens.JsonType(2).Array[1, 5]
            .SelectMany(types => SqlValueGens.RowOf(types).Select(row => (types, row)))
            .Sample(sample =>
            {
                var format = Json(SqlValueGens.Columns(sample.types));
                var bytes = format.Encode(sample.row)!;
                var back = format.Decode(bytes);
                Assert.True(sample.row.Equals(back), $"{sample.row} came back as {back} via {Encoding.UTF8.GetString(bytes)}");
            }, iter: 3000);
    }

    [Fact]
    public void EncodeDecode_IsoTimestamps_RoundTrip()
    {
        var columns = new[] { ("ts", SqlType.Timestamp(3)), ("ltz", SqlType.TimestampLtz(3)) };
        var format = Json(columns, new() { ["json.timestamp-format.standard"] = "ISO-8601" });
        var row = new Row(new DateTime(2024, 5, 6, 7, 8, 9, 123), new DateTimeOffset(2024, 5, 6, 7, 8, 9, 5, TimeSpan.Zero));
        var text = Encoding.UTF8.GetString(format.Encode(row)!);
        Assert.Equal("""{"ts":"2024-05-06T07:08:09.123","ltz":"2024-05-06T07:08:09.005Z"}""", text);
        Assert.Equal(row, Decode(format, text));
    }

    [Fact]
    public void Encode_SqlTimestamps_UseFlinkSqlForm()
    {
        var format = Json([("ts", SqlType.Timestamp(3)), ("d", SqlType.Date), ("b", SqlType.Bytes), ("m", SqlType.Decimal(10, 2))]);
        var text = Encoding.UTF8.GetString(format.Encode(new Row(new DateTime(2024, 1, 2, 3, 4, 5, 600), new DateOnly(2024, 1, 2), new byte[] { 1, 2, 3 }, 12.50m))!);
        Assert.Equal("""{"ts":"2024-01-02 03:04:05.6","d":"2024-01-02","b":"AQID","m":12.50}""", text);
    }

    [Fact]
    public void Decode_MissingField_IsNullUnlessFailOnMissingField()
    {
        var columns = new[] { ("a", SqlType.Int), ("b", SqlType.String) };
        Assert.Equal(new Row(1, null), Decode(Json(columns), """{"a":1,"extra":true}"""));
        var strict = Json(columns, new() { ["json.fail-on-missing-field"] = "true" });
        var e = Assert.Throws<SqlFormatException>(() => Decode(strict, """{"a":1}"""));
        Assert.Contains("field 'b' is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NumbersInStringsAndTextOfNonStrings_AsFlinkReadsThem()
    {
        var format = Json([("i", SqlType.Int), ("s", SqlType.String), ("d", SqlType.Decimal(5, 1))]);
        Assert.Equal(new Row(42, """{"x":[1]}""", 1.3m), Decode(format, """{"i":"42","s":{"x":[1]},"d":1.25}"""));
        Assert.Equal(new Row(null, null, null), Decode(format, """{"i":null,"d":123456.7}"""));
    }

    [Fact]
    public void Decode_WrongType_NamesTheField()
    {
        var format = Json([("price", SqlType.BigInt), ("tags", SqlType.Array(SqlType.Int))]);
        var e = Assert.Throws<SqlFormatException>(() => Decode(format, """{"price":"cheap"}"""));
        Assert.Contains("field 'price'", e.Problem, StringComparison.Ordinal);
        e = Assert.Throws<SqlFormatException>(() => Decode(format, """{"tags":[1,"x"]}"""));
        Assert.Contains("field 'tags[1]'", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_BadRecordWithIgnoreParseErrors_IsSkippedAndCounted()
    {
        var format = Json([("a", SqlType.Int)], new() { ["json.ignore-parse-errors"] = "true" });
        Assert.Null(Decode(format, "{not json"));
        Assert.Null(Decode(format, """{"a":"x"}"""));
        Assert.Equal(new Row(3), Decode(format, """{"a":3}"""));
        Assert.Equal(2, format.SkippedRecords);
    }

    public static TheoryData<string> Malformed() =>
    [
        "", " ", "{", "}", "[1]", "1", "\"a\"", "null", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1}{", "{\"a\":1} x",
        "{'a':1}", "{\"a\":01}", "{\"a\":1e99999}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"b\":\"2024-13-01\"}",
        "{\"c\":\"not base64!\"}", "{\"d\":\"25:00:00\"}", "{\"e\":[1,2}", "{\"e\":{\"x\":1}}", "{\"f\":[1]}",
        "{\"g\":\"2024-01-01T00:00:00\"}", "{\"h\":\"2024-01-01 00:00:00\"}", "{\"a\":2147483648}", "{\"a\":1.5}",
        "/* c */ {\"a\":1}", "{\"a\":1 // c\n}", "\u00ef\u00bb\u00bf{}", "{\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}",
        new string('{', 100_000),
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_MalformedInput_ThrowsSqlFormatException(string json)
    {
        var format = Json([("a", SqlType.Int), ("b", SqlType.Date), ("c", SqlType.Bytes), ("d", SqlType.Time(0)), ("e", SqlType.Array(SqlType.Int)), ("f", SqlType.Map(SqlType.String, SqlType.Int)), ("g", SqlType.Timestamp(3)), ("h", SqlType.TimestampLtz(3)), ("x", SqlType.String)]);
        Assert.Throws<SqlFormatException>(() => Decode(format, json));
    }

    [Fact]
    public void Decode_InvalidUtf8InsideAString_ThrowsSqlFormatException()
    {
        // Found by the fuzz property below: System.Text.Json checks a string's UTF-8 only when it is read.
        var format = Json([("x", SqlType.String)]);
        byte[] bytes = [.. "{\"x\":\""u8, 0x55, 0xC3, 0x28, .. "\"}"u8];
        Assert.Throws<SqlFormatException>(() => format.Decode(bytes));
    }

    [Fact]
    public void Decode_RandomAndMutatedBytes_ThrowOnlySqlFormatException()
    {
        var format = Json([("a", SqlType.Int), ("s", SqlType.String), ("r", SqlType.Row([new SqlField("x", SqlType.Double), new SqlField("y", SqlType.Array(SqlType.TimestampLtz(3)))]))]);
        var valid = Encoding.UTF8.GetBytes("""{"a":1,"s":"x","r":{"x":1.5,"y":["2024-01-01 00:00:00Z"]}}""");
        Gen.OneOf(
                Gen.Byte.Array[0, 64],
                Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Array[1, 4].Select(edits =>
                {
                    var copy = (byte[])valid.Clone();
                    foreach (var (at, value) in edits)
                    {
                        copy[at] = value;
                    }

                    return copy;
                }))
            .Sample(bytes =>
            {
                try
                {
                    _ = format.Decode(bytes);
                }
                catch (SqlFormatException)
                {
                }
            }, iter: 20_000);
    }

    [Fact]
    public void Create_MapWithNonStringKeys_IsRefused()
    {
        var e = Assert.Throws<SqlValidationException>(() => Json([("m", SqlType.Map(SqlType.Int, SqlType.Int))]));
        Assert.Contains("MAP keys of type STRING only", e.Message, StringComparison.Ordinal);
    }
}
