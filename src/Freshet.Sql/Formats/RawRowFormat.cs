using System.Text;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>
/// Flink's <c>raw</c> format: the record's bytes are the value of the one column, a STRING decoded with
/// <c>raw.charset</c> (UTF-8 by default; bytes invalid in the charset become U+FFFD, as Java's decoder does) or BYTES
/// as they are. A record without bytes is a row holding NULL, and NULL is written as no bytes (a Kafka tombstone).
/// Never refuses a record. Thread-safe.
/// </summary>
internal sealed class RawRowFormat : RowFormat
{
    private readonly Encoding? _charset;

    public RawRowFormat(IReadOnlyList<(string Name, SqlType Type)> columns, Encoding charset)
        : base("raw", columns, ignoreParseErrors: false)
    {
        _charset = columns[0].Type.Kind == SqlTypeKind.Bytes ? null : charset;
    }

    public override Row? Decode(ReadOnlySpan<byte> bytes) => new(_charset is null ? bytes.ToArray() : _charset.GetString(bytes));

    public override Row? DecodeNull() => new((object?)null);

    public override byte[]? Encode(Row row) => row[0] switch
    {
        null => null,
        byte[] bytes => bytes,
        string text => (_charset ?? Encoding.UTF8).GetBytes(text),
        var other => throw new ArgumentException($"{other.GetType()} is not a value of the raw format's column {Columns[0].Type}", nameof(row)),
    };
}
