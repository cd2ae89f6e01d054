using Freshet.Sql;
using Freshet.Sql.Parsing;
using Spectre.Console;

namespace Freshet.Cli.Sql;

/// <summary>
/// <c>freshet sql</c>: runs SQL statements against a <see cref="SqlEnvironment"/>, from a script (<c>--file</c>) or
/// typed at a prompt. Statements end with <c>;</c> and may span lines. Bad SQL prints an error naming the line and
/// column and the shell goes on (a script stops at its first error, as Flink's SQL client does). A query's rows are
/// shown as they change: in a terminal as a table redrawn in place until the query ends or a key is pressed, and
/// otherwise as one line per change (<c>+I</c>, <c>-U</c>, <c>+U</c>, <c>-D</c>). Not thread-safe; one shell per console.
/// </summary>
internal sealed class SqlShell
{
    /// <summary>The prompt of the first line of a statement.</summary>
    public const string Prompt = "Freshet SQL> ";

    /// <summary>The prompt of further lines.</summary>
    public const string ContinuationPrompt = "           > ";

    private readonly SqlEnvironment _sql;
    private readonly TextWriter _output;
    private readonly IAnsiConsole? _terminal;
    private readonly List<Streaming.Jobs.JobHandle> _jobs = [];

    /// <param name="sql">Where statements run.</param>
    /// <param name="output">Where results and errors go.</param>
    /// <param name="terminal">The terminal to draw live tables on; null to print changes line by line.</param>
    public SqlShell(SqlEnvironment sql, TextWriter output, IAnsiConsole? terminal)
    {
        _sql = sql;
        _output = output;
        _terminal = terminal;
    }

    /// <summary>Runs every statement of <paramref name="script"/> in order and then waits for the jobs its INSERTs
    /// started (until they end, or <paramref name="cancellationToken"/> cancels them); stops at the first error.</summary>
    /// <returns>0 when every statement ran and every job finished, 1 otherwise.</returns>
    public async Task<int> RunScriptAsync(string script, CancellationToken cancellationToken)
    {
        IReadOnlyList<SqlScriptPart> parts;
        try
        {
            parts = SqlScript.Split(script);
        }
        catch (SqlException e)
        {
            _output.WriteLine($"[ERROR] {e.Message}");
            return FreshetCommand.Failure;
        }

        foreach (var part in parts)
        {
            if (!await RunStatementAsync(part, cancellationToken).ConfigureAwait(false))
            {
                await StopJobsAsync().ConfigureAwait(false);
                return FreshetCommand.Failure;
            }
        }

        return await WaitForJobsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels the jobs INSERTs started that are still running (when the shell ends).</summary>
    public async Task StopJobsAsync()
    {
        foreach (var job in _jobs.Where(j => !j.Completion.IsCompleted))
        {
            _output.WriteLine($"[INFO] Cancelling job '{job.JobName}'");
            await job.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> WaitForJobsAsync(CancellationToken cancellationToken)
    {
        var running = _jobs.Where(j => !j.Completion.IsCompleted).ToArray();
        if (running.Length > 0)
        {
            _output.WriteLine($"[INFO] Waiting for {running.Length} job(s) to finish; Ctrl+C cancels them");
        }

        var failed = false;
        foreach (var job in running)
        {
            try
            {
                await job.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await StopJobsAsync().ConfigureAwait(false);
                return 0;
            }
#pragma warning disable CA1031 // A failed job is reported as a line, like every other error of the shell.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _output.WriteLine($"[ERROR] Job '{job.JobName}' failed: {e.GetBaseException().Message}");
                failed = true;
            }
        }

        return failed ? FreshetCommand.Failure : 0;
    }

    /// <summary>Reads statements from <paramref name="lines"/> until it ends or <c>QUIT;</c>/<c>EXIT;</c>; jobs that
    /// INSERTs started run in the background meanwhile and are cancelled when the shell ends.</summary>
    public async Task<int> RunInteractiveAsync(ISqlLineReader lines, Func<CancellationToken> statementCancellation)
    {
        _output.WriteLine("Freshet SQL shell. Statements end with ';'. QUIT; to leave, HELP; for help.");
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var line = lines.ReadLine(buffer.Length == 0 ? Prompt : ContinuationPrompt);
            if (line is null)
            {
                await StopJobsAsync().ConfigureAwait(false);
                return 0;
            }

            buffer.AppendLine(line);
            var text = buffer.ToString();
            if (!IsComplete(text))
            {
                continue;
            }

            buffer.Clear();
            lines.AddHistory(text.TrimEnd());
            IReadOnlyList<SqlScriptPart> parts;
            try
            {
                parts = SqlScript.Split(text);
            }
            catch (SqlException e)
            {
                _output.WriteLine($"[ERROR] {e.Message}");
                continue;
            }

            foreach (var part in parts)
            {
                switch (part.Text.Trim().ToUpperInvariant())
                {
                    case "QUIT" or "EXIT":
                        await StopJobsAsync().ConfigureAwait(false);
                        return 0;
                    case "HELP":
                        PrintHelp();
                        continue;
                }

                await RunStatementAsync(part, statementCancellation()).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> holds whole statements: it ends with a <c>;</c> outside strings and
    /// comments, and a statement set has reached its <c>END</c>.</summary>
    public static bool IsComplete(string text)
    {
        var trimmed = text.TrimEnd();
        if (!trimmed.EndsWith(';'))
        {
            return false;
        }

        try
        {
            var parts = SqlScript.Split(trimmed);
            if (parts.Count == 0)
            {
                return true;
            }

            var last = parts[^1].Text;
            var isSet = last.StartsWith("EXECUTE", StringComparison.OrdinalIgnoreCase) && last.Contains("STATEMENT", StringComparison.OrdinalIgnoreCase);
            return !isSet || last.TrimEnd().EndsWith("END", StringComparison.OrdinalIgnoreCase);
        }
        catch (SqlException)
        {
            // An open string or comment: the ';' is inside it.
            return false;
        }
    }

    private async Task<bool> RunStatementAsync(SqlScriptPart part, CancellationToken cancellationToken)
    {
        try
        {
            await using var result = await _sql.ExecuteSqlAsync(part.Text, cancellationToken).ConfigureAwait(false);
            switch (result.Kind)
            {
                case SqlResultKind.Success:
                    _output.WriteLine($"[INFO] {result.Message}");
                    break;
                case SqlResultKind.Job:
                    _jobs.Add(result.Job!);
                    _output.WriteLine(result.Job!.RestoredFrom is { } restored
                        ? $"[INFO] {result.Message}, restored from {(restored.IsSavepoint ? "savepoint" : "checkpoint")} {restored.CheckpointId}"
                        : $"[INFO] {result.Message}");
                    break;
                default:
                    await ShowRowsAsync(result, cancellationToken).ConfigureAwait(false);
                    break;
            }

            return true;
        }
        catch (SqlException e)
        {
            var line = part.Span.Line + e.Line - 1;
            var column = e.Line == 1 ? part.Span.Column + e.Column - 1 : e.Column;
            _output.WriteLine($"[ERROR] {e.Problem} at line {line}, column {column}");
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.WriteLine("[INFO] Query cancelled");
            return true;
        }
#pragma warning disable CA1031 // A failed statement or job (a bad record, an unreachable cluster) is an error line; the shell goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _output.WriteLine($"[ERROR] {e.GetBaseException().Message}");
            return false;
        }
    }

    private async Task ShowRowsAsync(SqlResult result, CancellationToken cancellationToken)
    {
        var columns = result.Columns;
        if (result.Job is null || _terminal is null)
        {
            var printed = 0;
            _output.WriteLine(ResultText.Header(columns, withKind: result.Job is not null));
            await foreach (var change in result.ReadChangesAsync(cancellationToken).ConfigureAwait(false))
            {
                _output.WriteLine(ResultText.Line(change, withKind: result.Job is not null));
                printed++;
            }

            _output.WriteLine(result.Job is null ? $"{printed} row{(printed == 1 ? string.Empty : "s")}" : $"{printed} change{(printed == 1 ? string.Empty : "s")}; the query ended");
            return;
        }

        await LiveTable.ShowAsync(_terminal, result, cancellationToken).ConfigureAwait(false);
    }

    private void PrintHelp() => _output.WriteLine(
        """
        Statements (end each with ';'):
          CREATE TABLE name (col TYPE, ..., WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH ('connector' = 'freshet-log', 'topic' = '...', 'format' = 'json')
          CREATE VIEW name AS SELECT ...; DROP TABLE name; SHOW TABLES; DESCRIBE name; EXPLAIN SELECT ...
          SELECT ...                          runs a query and shows its rows as they change (any key stops it)
          INSERT INTO table SELECT ...        starts a job that writes into a table
          SET 'key' = 'value'; SET; RESET     session settings (parallelism.default, pipeline.name, ...)
          QUIT                                leaves the shell
        docs/sql.md has the whole dialect.
        """);
}
