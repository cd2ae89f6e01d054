namespace Freshet.Cli.Sql;

/// <summary>Lines from a redirected input (a pipe or a file): no prompt, no history.</summary>
internal sealed class TextLineReader(TextReader input) : ISqlLineReader
{
    public string? ReadLine(string prompt) => input.ReadLine();

    public void AddHistory(string statement)
    {
    }
}
