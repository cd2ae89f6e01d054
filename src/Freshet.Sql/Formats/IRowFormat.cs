namespace Freshet.Sql.Formats;

/// <summary>
/// Turns the bytes of one record (a Kafka value or key, a line of a file) into a <see cref="Row"/> of a fixed list of
/// columns and back, in one format (<c>json</c>, <c>csv</c>, <c>raw</c>). Values follow <see cref="Row"/>'s
/// representation. Made by <see cref="RowFormats.Create"/>; stateless apart from the skipped-record count, so one
/// instance is shared by every subtask. Thread-safe.
/// </summary>
internal interface IRowFormat
{
    /// <summary>The columns a row of this format has, in order.</summary>
    IReadOnlyList<(string Name, Typing.SqlType Type)> Columns { get; }

    /// <summary>Records skipped because they did not decode and the format ignores parse errors, counted since the
    /// format was made.</summary>
    long SkippedRecords { get; }

    /// <summary>The row the bytes hold, or null for a record to skip (a bad record when parse errors are ignored, a
    /// comment line).</summary>
    /// <exception cref="SqlFormatException">The bytes are not a row of the columns and parse errors are not ignored.</exception>
    Row? Decode(ReadOnlySpan<byte> bytes);

    /// <summary>The row of a record without bytes (a Kafka record whose value is null): a row of NULL for
    /// <c>raw</c>, null (skip the record) for the other formats, as Flink's formats do.</summary>
    Row? DecodeNull();

    /// <summary>The bytes of <paramref name="row"/>; null only for <c>raw</c> with a NULL value (a Kafka tombstone).</summary>
    /// <exception cref="SqlFormatException">A value cannot be written in the format (a CSV array element that contains
    /// the element delimiter).</exception>
    byte[]? Encode(Row row);
}
