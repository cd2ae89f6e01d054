using System.Diagnostics.Metrics;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>
/// What every <see cref="IRowFormat"/> shares: its columns, and the rule for a record that does not decode — throw a
/// <see cref="SqlFormatException"/>, or, when the format's <c>ignore-parse-errors</c> option is on, count the record
/// (in <see cref="SkippedRecords"/> and the <c>freshet.sql.format.skipped_records</c> counter of the
/// <c>Freshet.Sql</c> meter) and skip it. Thread-safe: the count is updated atomically.
/// </summary>
internal abstract class RowFormat : IRowFormat
{
    /// <summary>The meter of Freshet's SQL runtime.</summary>
    public const string MeterName = "Freshet.Sql";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> SkippedCounter = Meter.CreateCounter<long>(
        "freshet.sql.format.skipped_records", unit: "{record}", description: "Records a format skipped because they did not decode and the format ignores parse errors.");

    private readonly bool _ignoreParseErrors;
    private readonly string _formatName;
    private long _skipped;

    protected RowFormat(string formatName, IReadOnlyList<(string Name, SqlType Type)> columns, bool ignoreParseErrors)
    {
        _formatName = formatName;
        Columns = columns;
        _ignoreParseErrors = ignoreParseErrors;
    }

    public IReadOnlyList<(string Name, SqlType Type)> Columns { get; }

    public long SkippedRecords => Interlocked.Read(ref _skipped);

    public abstract Row? Decode(ReadOnlySpan<byte> bytes);

    public virtual Row? DecodeNull() => null;

    public abstract byte[]? Encode(Row row);

    /// <summary>Skips the record when parse errors are ignored (returns null); otherwise throws.</summary>
    protected Row? BadRecord(string problem, Exception? cause = null)
    {
        if (!_ignoreParseErrors)
        {
            throw new SqlFormatException($"Cannot decode a {_formatName} record: {problem}", null, cause);
        }

        Interlocked.Increment(ref _skipped);
        SkippedCounter.Add(1, new KeyValuePair<string, object?>("format", _formatName));
        return null;
    }

    /// <summary>Whether an exception thrown while converting untrusted bytes is about the bytes (so a format error)
    /// rather than a bug.</summary>
    protected static bool IsDataError(Exception e) =>
        e is FormatException or OverflowException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException;
}
