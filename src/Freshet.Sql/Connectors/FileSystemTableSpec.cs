using System.Globalization;
using Freshet.Sql.Catalog;
using Freshet.Sql.Formats;
using Freshet.Streaming.Connectors.Files;

namespace Freshet.Sql.Connectors;

/// <summary>
/// A <c>filesystem</c> table's options, validated: <c>path</c> (a file or a directory to read; the directory part
/// files are written to), <c>format</c> (one record per line), and the sink's rolling policy
/// <c>sink.rolling-policy.file-size</c> (bytes, or with a unit <c>kb</c>, <c>mb</c>, <c>gb</c>) and
/// <c>sink.rolling-policy.rollover-interval</c> (<c>ms</c>, <c>s</c>, <c>min</c>, <c>h</c>). No metadata columns.
/// Immutable; thread-safe.
/// </summary>
internal sealed class FileSystemTableSpec
{
    private FileSystemTableSpec(string path, IRowFormat format, RollingFileSinkOptions rolling, int? sinkParallelism)
    {
        Path = path;
        Format = format;
        Rolling = rolling;
        SinkParallelism = sinkParallelism;
    }

    public string Path { get; }

    public IRowFormat Format { get; }

    public RollingFileSinkOptions Rolling { get; }

    public int? SinkParallelism { get; }

    public static FileSystemTableSpec Parse(CatalogTable table, OptionReader options)
    {
        var path = options.Required("path", "the file or directory of the table");
        var formatName = options.Required("format", $"the format of each line; known formats: {OptionReader.Quoted(RowFormats.Known)}");
        foreach (var column in table.Columns)
        {
            if (column.Kind == CatalogColumnKind.Metadata)
            {
                throw new SqlValidationException($"Metadata column '{column.Name}': the filesystem connector has no metadata");
            }
        }

        var columns = TableConnectors.SourceColumns(table).Select(c => (c.Name, c.Type)).ToList();
        var format = RowFormats.FromOptions(formatName, columns, options, table.Options, string.Empty);
        var rolling = new RollingFileSinkOptions();
        if (options.String("sink.rolling-policy.file-size") is { } size)
        {
            rolling = rolling with { MaxPartBytes = Bytes(size) };
        }

        if (options.String("sink.rolling-policy.rollover-interval") is { } interval)
        {
            rolling = rolling with { RolloverInterval = Duration(interval) };
        }

        var parallelism = options.Long("sink.parallelism", 0, min: 1, max: int.MaxValue);
        return new FileSystemTableSpec(path, format, rolling, parallelism == 0 ? null : (int)parallelism);
    }

    private static long Bytes(string text)
    {
        var (number, unit) = Split(text);
        long? multiplier = unit switch
        {
            "" or "b" => 1,
            "kb" or "k" => 1L << 10,
            "mb" or "m" => 1L << 20,
            "gb" or "g" => 1L << 30,
            _ => null,
        };
        if (number is > 0 && multiplier is { } m && number <= long.MaxValue / m)
        {
            return number.Value * m;
        }

        throw new SqlValidationException($"Option 'sink.rolling-policy.file-size' must be a positive size such as '128mb', but is '{text}'");
    }

    private static TimeSpan Duration(string text)
    {
        var (number, unit) = Split(text);
        TimeSpan? result = (number, unit) switch
        {
            ( > 0, "ms") => TimeSpan.FromMilliseconds(number.Value),
            ( > 0, "" or "s") => TimeSpan.FromSeconds(number.Value),
            ( > 0, "min") => TimeSpan.FromMinutes(number.Value),
            ( > 0, "h") => TimeSpan.FromHours(number.Value),
            _ => null,
        };
        return result ?? throw new SqlValidationException($"Option 'sink.rolling-policy.rollover-interval' must be a positive duration such as '30 min' or '10 s', but is '{text}'");
    }

    private static (long? Number, string Unit) Split(string text)
    {
        var trimmed = text.Trim();
        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }

        var ok = long.TryParse(trimmed.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        return (ok ? number : null, trimmed[digits..].Trim().ToLowerInvariant());
    }
}
