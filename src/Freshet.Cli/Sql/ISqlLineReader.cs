namespace Freshet.Cli.Sql;

/// <summary>Where the SQL shell reads its input lines: a terminal line editor with history, or a plain text reader.</summary>
internal interface ISqlLineReader
{
    /// <summary>Shows <paramref name="prompt"/> and reads one line; null at the end of the input.</summary>
    string? ReadLine(string prompt);

    /// <summary>Remembers a whole statement for the up and down keys.</summary>
    void AddHistory(string statement);
}
