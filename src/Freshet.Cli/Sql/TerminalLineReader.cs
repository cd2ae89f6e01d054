using System.Text;

namespace Freshet.Cli.Sql;

/// <summary>
/// A small line editor for the SQL shell in a terminal: left and right, Home and End, Backspace and Delete, and
/// up and down through the history of earlier statements, which is kept in a file between sessions (the last
/// <see cref="MaxHistory"/> statements, one per line with newlines escaped). Reads <see cref="Console"/>; one at a time.
/// </summary>
internal sealed class TerminalLineReader : ISqlLineReader
{
    /// <summary>Statements kept in the history file.</summary>
    public const int MaxHistory = 500;

    private readonly List<string> _history = [];
    private readonly string? _historyFile;

    /// <param name="historyFile">Where history is kept; null for none.</param>
    public TerminalLineReader(string? historyFile)
    {
        _historyFile = historyFile;
        if (historyFile is not null && File.Exists(historyFile))
        {
            try
            {
                _history.AddRange(File.ReadLines(historyFile).Select(Unescape).TakeLast(MaxHistory));
            }
            catch (IOException)
            {
                // A history file that cannot be read only costs the history.
            }
        }
    }

    public string? ReadLine(string prompt)
    {
        Console.Write(prompt);
        var line = new StringBuilder();
        var cursor = 0;
        var recalled = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    return line.ToString();
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0:
                    Console.WriteLine();
                    return null;
                case ConsoleKey.Backspace when cursor > 0:
                    line.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < line.Length:
                    line.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < line.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = line.Length;
                    break;
                case ConsoleKey.UpArrow when recalled > 0:
                    recalled--;
                    line.Clear().Append(_history[recalled].Replace('\n', ' '));
                    cursor = line.Length;
                    break;
                case ConsoleKey.DownArrow when recalled < _history.Count:
                    recalled++;
                    line.Clear().Append(recalled < _history.Count ? _history[recalled].Replace('\n', ' ') : string.Empty);
                    cursor = line.Length;
                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Insert(cursor++, key.KeyChar);
                    }

                    break;
            }

            Redraw(prompt, line, cursor);
        }
    }

    public void AddHistory(string statement)
    {
        if (statement.Length == 0 || (_history.Count > 0 && _history[^1] == statement))
        {
            return;
        }

        _history.Add(statement);
        if (_historyFile is null)
        {
            return;
        }

        try
        {
            File.WriteAllLines(_historyFile, _history.TakeLast(MaxHistory).Select(Escape));
        }
        catch (IOException)
        {
            // As above: the shell works without its history file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Redraw(string prompt, StringBuilder line, int cursor)
    {
        Console.Write('\r');
        Console.Write(prompt);
        Console.Write(line.ToString());
        Console.Write("\u001b[K");
        Console.Write('\r');
        Console.Write(prompt);
        Console.Write(line.ToString(0, cursor));
    }

    private static string Escape(string statement) => statement.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);

    private static string Unescape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                text.Append(line[++i] == 'n' ? '\n' : line[i]);
            }
            else
            {
                text.Append(line[i]);
            }
        }

        return text.ToString();
    }
}
