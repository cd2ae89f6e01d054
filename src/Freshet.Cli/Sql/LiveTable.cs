using Freshet.Sql;
using Freshet.Streaming.Tables;
using Spectre.Console;

namespace Freshet.Cli.Sql;

/// <summary>
/// A running query's result drawn in the terminal as a table that follows the changes: inserts add rows, deletes and
/// update-befores remove them, so the table always shows the current result (its last <see cref="MaxRows"/> rows).
/// Redrawn a few times a second until the query ends or a key is pressed, which cancels it.
/// </summary>
internal static class LiveTable
{
    /// <summary>Rows shown at once.</summary>
    public const int MaxRows = 40;

    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public static async Task ShowAsync(IAnsiConsole terminal, SqlResult result, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        var changes = 0L;
        var ended = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in result.ReadChangesAsync(stop.Token).ConfigureAwait(false))
                {
                    lock (rows)
                    {
                        Apply(rows, change);
                        changes++;
                    }
                }
            }
            finally
            {
                ended = true;
            }
        }, CancellationToken.None);

        await terminal.Live(Render(result.Columns, rows, changes, false)).StartAsync(async context =>
        {
            while (!Volatile.Read(ref ended) && !stop.IsCancellationRequested)
            {
                if (!Console.IsInputRedirected && Console.KeyAvailable)
                {
                    Console.ReadKey(intercept: true);
                    await stop.CancelAsync().ConfigureAwait(false);
                    break;
                }

                await Task.Delay(Refresh, CancellationToken.None).ConfigureAwait(false);
                lock (rows)
                {
                    context.UpdateTarget(Render(result.Columns, rows, changes, false));
                }
            }

            lock (rows)
            {
                context.UpdateTarget(Render(result.Columns, rows, changes, true));
            }
        }).ConfigureAwait(false);

        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            terminal.MarkupLine("[grey]Query stopped.[/]");
        }
    }

    /// <summary>Applies one change to the rows shown.</summary>
    public static void Apply(List<Row> rows, Change<Row> change)
    {
        if (change.IsAddition)
        {
            rows.Add(change.Row);
        }
        else
        {
            var index = rows.LastIndexOf(change.Row);
            if (index >= 0)
            {
                rows.RemoveAt(index);
            }
        }
    }

    private static Table Render(IReadOnlyList<SqlColumn> columns, List<Row> rows, long changes, bool final)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Caption($"{rows.Count} row{(rows.Count == 1 ? string.Empty : "s")}, {changes} change{(changes == 1 ? string.Empty : "s")}{(final ? string.Empty : " · any key stops the query")}");
        foreach (var column in columns)
        {
            table.AddColumn(Markup.Escape(column.Name));
        }

        foreach (var row in rows.Skip(Math.Max(0, rows.Count - MaxRows)))
        {
            table.AddRow(ResultText.Values(row).Select(v => Markup.Escape(v)).ToArray());
        }

        return table;
    }
}
