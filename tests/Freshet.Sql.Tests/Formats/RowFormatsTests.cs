using Freshet.Sql.Formats;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Formats;

public sealed class RowFormatsTests
{
    [Fact]
    public void Raw_String_DecodesWithCharsetAndNullIsNull()
    {
        var format = RowFormats.Create("raw", [("line", SqlType.String)], new Dictionary<string, string> { ["value.raw.charset"] = "ISO-8859-1" }, "value.");
        Assert.Equal(new Row("caf\u00e9"), format.Decode([0x63, 0x61, 0x66, 0xE9]));
        Assert.Equal(new Row((object?)null), format.DecodeNull());
        Assert.Null(format.Encode(new Row((object?)null)));
        Assert.Equal(new byte[] { 0x63, 0xE9 }, format.Encode(new Row("c\u00e9")));
    }

    [Fact]
    public void Raw_Bytes_AreTakenAsTheyAre()
    {
        var format = RowFormats.Create("raw", [("b", SqlType.Bytes)], new Dictionary<string, string>(), string.Empty);
        Assert.Equal(new Row(new byte[] { 0, 255 }), format.Decode([0, 255]));
    }

    [Theory]
    [InlineData("json", "json.ignore-parse-errors", "yes", "Option 'json.ignore-parse-errors' must be 'true' or 'false', but is 'yes'")]
    [InlineData("json", "json.timestamp-format.standard", "RFC", "Option 'json.timestamp-format.standard' must be one of 'SQL', 'ISO-8601', but is 'RFC'")]
    [InlineData("json", "json.no-such", "x", "Unsupported option 'json.no-such' of the json format; supported: 'json.fail-on-missing-field', 'json.ignore-parse-errors', 'json.timestamp-format.standard', 'json.encode.ignore-null-fields'")]
    [InlineData("csv", "csv.field-delimiter", ";;", "Option 'csv.field-delimiter' must be a single character, but is ';;'")]
    [InlineData("raw", "raw.charset", "klingon", "Option 'raw.charset' names an unknown charset 'klingon'; use for example 'UTF-8', 'UTF-16', 'US-ASCII' or 'ISO-8859-1'")]
    [InlineData("avro", "x", "y", "Unknown format 'avro' in option 'format'; known formats: 'csv', 'json', 'raw'")]
    public void Create_InvalidOption_NamesOptionAndAllowedValues(string format, string option, string value, string message)
    {
        var e = Assert.Throws<SqlValidationException>(() => RowFormats.Create(format, [("s", SqlType.String)], new Dictionary<string, string> { [option] = value }, string.Empty));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Create_JsonFailOnMissingAndIgnoreErrors_AreRefusedTogether()
    {
        var options = new Dictionary<string, string> { ["key.json.fail-on-missing-field"] = "true", ["key.json.ignore-parse-errors"] = "true" };
        var e = Assert.Throws<SqlValidationException>(() => RowFormats.Create("json", [("s", SqlType.String)], options, "key."));
        Assert.Contains("cannot both be true", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RawWithTwoColumns_IsRefused()
    {
        var e = Assert.Throws<SqlValidationException>(() => RowFormats.Create("raw", [("a", SqlType.String), ("b", SqlType.Int)], new Dictionary<string, string>(), string.Empty));
        Assert.StartsWith("The raw format needs exactly one column of type STRING or BYTES", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.Line);
    }
}
