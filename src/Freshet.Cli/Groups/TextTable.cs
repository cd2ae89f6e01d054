namespace Freshet.Cli.Groups;

/// <summary>
/// Plain-text columns as Kafka's command line tools print them: a header of upper-case names, then one line per row,
/// each column left-aligned and padded to its widest cell, two spaces apart; an absent value is "-". No colours or box
/// characters, so the output reads well in logs and splits on whitespace in scripts.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] header) => _header = header;

    /// <summary>Adds a row of as many cells as the header has columns; null or empty cells print as "-".</summary>
    public void Add(params string?[] cells)
    {
        if (cells.Length != _header.Length)
        {
            throw new ArgumentException($"A row of {_header.Length} cells was expected, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells.Select(c => string.IsNullOrEmpty(c) ? "-" : c).ToArray());
    }

    public void WriteTo(TextWriter output)
    {
        var widths = _header.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        WriteLine(output, _header, widths);
        foreach (var row in _rows)
        {
            WriteLine(output, row, widths);
        }
    }

    private static void WriteLine(TextWriter output, string[] cells, int[] widths)
    {
        var line = string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
        output.WriteLine(line);
    }
}
