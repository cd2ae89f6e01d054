using System.CommandLine;
using Freshet.Cli.Sql;
using Freshet.Cli.Targets;
using Freshet.Log;
using Freshet.Sql;
using Freshet.Streaming;

namespace Freshet.Cli;

internal static partial class FreshetCommand
{
    private static Command SqlCommand(TextWriter output, TextWriter error)
    {
        var data = new Option<string?>("--data") { Description = "A data directory whose topics 'freshet-log' tables read and write (opened in this process; not while a broker serves it)." };
        var bootstrap = new Option<string?>("--bootstrap-server") { Description = "The Kafka cluster (host:port) of 'kafka' and 'upsert-kafka' tables that name none." };
        var file = new Option<string?>("--file", "-f") { Description = "Run the statements of this script and exit (stops at the first error, exit code 1)." };
        var command = new Command("sql", "Run Flink SQL: an interactive shell with history and live results, or a script with --file (docs/sql.md).") { data, bootstrap, file };
        command.SetAction((parse, cancellationToken) => Guarded(parse, error, "sql", async () =>
        {
            var script = parse.GetValue(file) is { } path ? await ReadScriptAsync(path, cancellationToken).ConfigureAwait(false) : null;
            using var store = parse.GetValue(data) is { } directory ? OpenStore(directory) : null;
            var environment = StreamEnvironment.Create();
            var sql = SqlEnvironment.Create(environment, new SqlEnvironmentOptions { LogStore = store, BootstrapServers = parse.GetValue(bootstrap) });
            var interactive = script is null && !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var shell = new SqlShell(sql, output, interactive ? Spectre.Console.AnsiConsole.Console : null);
            if (script is not null)
            {
                return await shell.RunScriptAsync(script, cancellationToken).ConfigureAwait(false);
            }

            // Ctrl+C stops the running query, not the shell; Ctrl+D (or the end of piped input) leaves it.
            var current = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                current.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                var lines = interactive
                    ? new TerminalLineReader(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".freshet_sql_history"))
                    : (ISqlLineReader)new TextLineReader(Console.In);
                return await shell.RunInteractiveAsync(lines, () =>
                {
                    if (current.IsCancellationRequested)
                    {
                        current.Dispose();
                        current = new CancellationTokenSource();
                    }

                    return current.Token;
                }).ConfigureAwait(false);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                current.Dispose();
            }
        }));
        return command;
    }

    private static async Task<string> ReadScriptAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the script '{path}': {e.Message}", e);
        }
    }

    private static LogStore OpenStore(string directory)
    {
        try
        {
            return LogStore.Open(directory, new LogStoreOptions());
        }
        catch (LogException e)
        {
            throw new CliException($"Cannot open the data directory: {e.Message} Stop the process using it, or reach it through its broker with --bootstrap-server and 'kafka' tables.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot open the data directory '{directory}': {e.Message}", e);
        }
    }
}
