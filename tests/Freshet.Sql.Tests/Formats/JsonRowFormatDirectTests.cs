using System.Text;
using CsCheck;
using Freshet.Sql.Formats;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Formats;

/// <summary>
/// The json format's direct decoder (one <see cref="System.Text.Json.Utf8JsonReader"/> pass straight into the row) must
/// give the document decoder's row whenever it gives one, and hand every other record to the document decoder.
/// </summary>
public sealed class JsonRowFormatDirectTests
{
    private static JsonRowFormat Json(IReadOnlyList<(string, SqlType)> columns, Dictionary<string, string>? options = null) =>
        (JsonRowFormat)RowFormats.Create("json", columns, options ?? [], string.Empty);

    /// <summary>The document decoder's outcome: its row, or the message of the error it throws.</summary>
    private static object? Document(JsonRowFormat format, byte[] bytes)
    {
        try
        {
            return format.DecodeDocument(bytes);
        }
        catch (SqlFormatException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void TryDecodeDirect_RandomRowsOfAllTypes_AgreesWithTheDocumentDecoder()
    {
        SqlValueGens.JsonType(2).Array[1, 5]
            .SelectMany(types => SqlValueGens.RowOf(types).Select(row => (types, row)))
            .Sample(sample =>
            {
                var format = Json(SqlValueGens.Columns(sample.types));
                var bytes = format.Encode(sample.row)!;
                if (format.TryDecodeDirect(bytes) is { } direct)
                {
                    Assert.Equal(Document(format, bytes), direct);
                }
            }, iter: 3000);
    }

    [Fact]
    public void TryDecodeDirect_MutatedRecords_AgreesWithTheDocumentDecoderOrDeclines()
    {
        var row = SqlType.Row([new SqlField("x", SqlType.BigInt), new SqlField("t", SqlType.Timestamp(3)), new SqlField("s", SqlType.String)]);
        var format = Json([("a", SqlType.Int), ("s", SqlType.String), ("b", SqlType.Boolean), ("d", SqlType.Decimal(5, 2)), ("r", row)]);
        var valid = Encoding.UTF8.GetBytes("""{"a":12,"s":"x\u00e9","b":true,"d":1.255,"r":{"x":-7,"t":"2024-02-29 23:59:59.123","s":null},"z":[1,{"q":2}]}""");
        Gen.OneOf(
                Gen.Byte.Array[0, 64],
                Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte[32, 126]).Array[1, 3].Select(edits =>
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
                if (format.TryDecodeDirect(bytes) is { } direct)
                {
                    Assert.Equal(Document(format, bytes), direct);
                }
            }, iter: 20_000);
        Assert.Equal(format.DecodeDocument(valid), format.TryDecodeDirect(valid));
        Assert.NotNull(format.TryDecodeDirect(valid));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1} """ + "x")]
    [InlineData("""{"a":"1"}""")]
    [InlineData("""{"a":1.0}""")]
    [InlineData("""{"a":2147483648}""")]
    [InlineData("""{"t":"2024-02-30 00:00:00"}""")]
    [InlineData("""{"t":"2024-01-01T00:00:00"}""")]
    [InlineData("""{"t":"2024-01-01 00:00:00.1234567891"}""")]
    [InlineData("""{"t":"2024-01-01 00:00:00\u002E5"}""")]
    [InlineData("""{"s":12}""")]
    [InlineData("""[1]""")]
    public void TryDecodeDirect_RecordsOnlyTheDocumentDecoderReads_AreDeclined(string json) =>
        Assert.Null(Json([("a", SqlType.Int), ("t", SqlType.Timestamp(3)), ("s", SqlType.String)]).TryDecodeDirect(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void TryDecodeDirect_EscapedNamesFieldsOutOfOrderAndFractions_AreRead()
    {
        var format = Json([("a", SqlType.Int), ("t", SqlType.Timestamp(9)), ("s", SqlType.String)]);
        var bytes = Encoding.UTF8.GetBytes("""{"extra":{"a":[1]},"s":"\u0041b","\u0061":5,"t":"2024-01-01 00:00:00.123456789"}""");
        var expected = new Row(5, new DateTime(2024, 1, 1).AddTicks(1_234_567), "Ab");
        Assert.Equal(expected, format.TryDecodeDirect(bytes));
        Assert.Equal(expected, format.DecodeDocument(bytes));
    }

    [Fact]
    public void TryDecodeDirect_MissingFieldWithFailOnMissingField_IsDeclined()
    {
        var strict = Json([("a", SqlType.Int), ("b", SqlType.Int)], new() { ["json.fail-on-missing-field"] = "true" });
        Assert.Null(strict.TryDecodeDirect("""{"a":1}"""u8.ToArray()));
        Assert.Equal(new Row(1, 2), strict.TryDecodeDirect("""{"b":2,"a":1}"""u8.ToArray()));
    }
}
