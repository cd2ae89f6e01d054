using System.Text;
using Freshet.Sql.Catalog;

namespace Freshet.Sql.Connectors;

/// <summary>
/// The rows of a <c>filesystem</c> table read whole for lookups (Flink's filesystem lookup source behind a
/// processing-time temporal join): every file under the table's path, in name order, decoded line by line with the
/// table's format, indexed by a key of the row. Loaded on the first lookup and reloaded once it is older than
/// <see cref="TimeToLive"/> (Flink's <c>lookup.join.cache.ttl</c> default, 60 minutes). Thread-safe: the subtasks of
/// the join share one instance; a load replaces an immutable index.
/// </summary>
internal sealed class FileLookupTable
{
    /// <summary>How long a loaded copy is used before the files are read again.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(60);

    private readonly FileSystemTableSpec _spec;
    private readonly Func<Row, Row> _key;
    private readonly Lock _loading = new();
    private Loaded? _loaded;

    /// <param name="spec">The table's path and format.</param>
    /// <param name="key">The lookup key of a row of the table.</param>
    public FileLookupTable(FileSystemTableSpec spec, Func<Row, Row> key)
    {
        _spec = spec;
        _key = key;
    }

    /// <summary>The table's rows whose key is <paramref name="key"/> (none when there are none).</summary>
    /// <exception cref="SqlFormatException">A line of a file does not decode; it names the file.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public IReadOnlyList<Row> Lookup(Row key)
    {
        var loaded = Volatile.Read(ref _loaded);
        if (loaded is null || Environment.TickCount64 - loaded.AtMs > (long)TimeToLive.TotalMilliseconds)
        {
            lock (_loading)
            {
                loaded = _loaded;
                if (loaded is null || Environment.TickCount64 - loaded.AtMs > (long)TimeToLive.TotalMilliseconds)
                {
                    loaded = Load();
                    Volatile.Write(ref _loaded, loaded);
                }
            }
        }

        return loaded.Rows.TryGetValue(key, out var rows) ? rows : [];
    }

    private Loaded Load()
    {
        var files = File.Exists(_spec.Path)
            ? [_spec.Path]
            : Directory.GetFiles(_spec.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var rows = new Dictionary<Row, List<Row>>();
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file, Encoding.UTF8))
            {
                Row? row;
                try
                {
                    row = _spec.Format.Decode(Encoding.UTF8.GetBytes(line));
                }
                catch (SqlFormatException e)
                {
                    throw e.At(file);
                }

                if (row is null)
                {
                    continue;
                }

                var key = _key(row);
                if (!rows.TryGetValue(key, out var list))
                {
                    list = [];
                    rows[key] = list;
                }

                list.Add(row);
            }
        }

        return new Loaded(rows.ToDictionary(e => e.Key, e => (IReadOnlyList<Row>)e.Value), Environment.TickCount64);
    }

    private sealed record Loaded(Dictionary<Row, IReadOnlyList<Row>> Rows, long AtMs);

    /// <summary>The spec of <paramref name="table"/> when it is a <c>filesystem</c> table whose rows are exactly its
    /// physical columns (no computed or metadata column, no watermark), so a decoded line is a row of the table; else null.</summary>
    public static FileSystemTableSpec? SpecOf(CatalogTable table) =>
        table.Columns.All(static c => c.Kind == CatalogColumnKind.Physical) && table.Columns.All(static c => c.Watermark is null)
            && table.Connector == "filesystem" && TableConnectors.LookupSpec(table) is { } spec
            ? spec
            : null;
}
