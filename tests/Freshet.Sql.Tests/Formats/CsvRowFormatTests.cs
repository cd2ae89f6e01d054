using System.Text;
using CsCheck;
using Freshet.Sql.Formats;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Formats;

public sealed class CsvRowFormatTests
{
    private static IRowFormat Csv(IReadOnlyList<(string, SqlType)> columns, Dictionary<string, string>? options = null) =>
        RowFormats.Create("csv", columns, options ?? [], string.Empty);

    private static string Text(byte[]? bytes) => Encoding.UTF8.GetString(bytes!);

    private static Row? Decode(IRowFormat format, string line) => format.Decode(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData(null, ",", "\"")]
    [InlineData("n/a", ";", "'")]
    [InlineData("", "|", "\"")]
    [InlineData("NULL", "\\t", "\"")]
    public void EncodeDecode_RandomRowsOfAllCsvTypes_RoundTrip(string? nullLiteral, string delimiter, string quote)
    {
        var options = new Dictionary<string, string> { ["csv.field-delimiter"] = delimiter, ["csv.quote-character"] = quote, ["csv.array-element-delimiter"] = delimiter == ";" ? "|" : ";" };
        if (nullLiteral is not null)
        {
            options["csv.null-literal"] = nullLiteral;
        }

        SqlValueGens.CsvType.Array[1, 6]
            .SelectMany(types => SqlValueGens.RowOf(types, csvSafeArrays: true).Select(row => (types, row)))
            .Sample(sample =>
            {
                var format = Csv(SqlValueGens.Columns(sample.types), options);
                var arrayDelimiter = options["csv.array-element-delimiter"][0];
                if (sample.row.Values.ToArray().OfType<object?[]>().SelectMany(a => a).OfType<string>().Any(s => s.Contains(arrayDelimiter, StringComparison.Ordinal) || s == nullLiteral))
                {
                    return;
                }

                var bytes = format.Encode(sample.row)!;
                var back = format.Decode(bytes);
                Assert.True(sample.row.Equals(back), $"{sample.row} came back as {back} via {Text(bytes)}");
            }, iter: 3000);
    }

    [Fact]
    public void Encode_QuotesOnlyWhatNeedsIt_Rfc4180()
    {
        var format = Csv([("a", SqlType.Int), ("s", SqlType.String), ("e", SqlType.String), ("n", SqlType.String), ("t", SqlType.Array(SqlType.Int))]);
        Assert.Equal("1,\"say \"\"hi\"\", bye\",\"\",,1;2", Text(format.Encode(new Row(1, "say \"hi\", bye", string.Empty, null, new object?[] { 1, 2 }))));
        Assert.Equal(new Row(1, "say \"hi\", bye", string.Empty, null, new object?[] { 1, 2 }), Decode(format, "1,\"say \"\"hi\"\", bye\",\"\",,1;2\r\n"));
    }

    [Fact]
    public void Decode_NullLiteral_IsNullOnlyUnquoted()
    {
        var format = Csv([("a", SqlType.String), ("b", SqlType.String), ("c", SqlType.Int)], new() { ["csv.null-literal"] = "N/A" });
        Assert.Equal(new Row(null, "N/A", 7), Decode(format, "N/A,\"N/A\", 7 "));
    }

    [Fact]
    public void Decode_CommentLine_IsSkippedWithAllowComments()
    {
        var format = Csv([("a", SqlType.String)], new() { ["csv.allow-comments"] = "true" });
        Assert.Null(Decode(format, "# a comment"));
        Assert.Equal(0, format.SkippedRecords);
    }

    public static TheoryData<string> Malformed() =>
    [
        "", "1", "1,2,3,4", "x,2024-01-01,AQID", "1,2024-1-1,AQID", "1,2024-01-01,@@@", "\"1,2024-01-01,AQID",
        "1\"x,2024-01-01,AQID", "\"1\"x,2024-01-01,AQID", "99999999999,2024-01-01,AQID", "1,2024-01-01,AQID,",
        "\"unterminated", ",,,", "1,2024-02-30,AQID",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_MalformedLine_ThrowsSqlFormatException(string line)
    {
        var format = Csv([("a", SqlType.Int), ("d", SqlType.Date), ("b", SqlType.Bytes)]);
        var e = Assert.Throws<SqlFormatException>(() => Decode(format, line));
        Assert.StartsWith("Cannot decode a csv record", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidUtf8AndRandomBytes_ThrowOnlySqlFormatException()
    {
        var format = Csv([("a", SqlType.Int), ("s", SqlType.String), ("t", SqlType.Array(SqlType.TimestampLtz(3)))]);
        Assert.Throws<SqlFormatException>(() => format.Decode([0x31, 0x2C, 0xFF, 0x2C]));
        Gen.Byte.Array[0, 48].Sample(bytes =>
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
    public void Decode_WithIgnoreParseErrors_SkipsAndCounts()
    {
        var format = Csv([("a", SqlType.Int)], new() { ["csv.ignore-parse-errors"] = "true" });
        Assert.Null(Decode(format, "x"));
        Assert.Equal(new Row(5), Decode(format, "5"));
        Assert.Equal(1, format.SkippedRecords);
    }

    [Fact]
    public void Encode_AmbiguousArrayElement_ThrowsSqlFormatException()
    {
        var format = Csv([("t", SqlType.Array(SqlType.String))]);
        Assert.Throws<SqlFormatException>(() => format.Encode(new Row((object?)new object?[] { "a;b" })));
        Assert.Throws<SqlFormatException>(() => format.Encode(new Row((object?)new object?[] { null })));
    }

    [Fact]
    public void Create_NestedTypes_AreRefused()
    {
        var e = Assert.Throws<SqlValidationException>(() => Csv([("r", SqlType.Row([new SqlField("x", SqlType.Int)]))]));
        Assert.Contains("csv format does not support", e.Message, StringComparison.Ordinal);
        Assert.Throws<SqlValidationException>(() => Csv([("m", SqlType.Map(SqlType.String, SqlType.Int))]));
        Assert.Throws<SqlValidationException>(() => Csv([("a", SqlType.Array(SqlType.Array(SqlType.Int)))]));
    }
}
