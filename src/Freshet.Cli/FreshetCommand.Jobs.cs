using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Freshet.Cli.Groups;
using Freshet.Cli.Jobs;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet savepoint</c> and <c>freshet checkpoints list</c>: operate a running job through its REST API
/// (<see cref="JobRestClient"/>), as Flink's <c>flink savepoint</c> and its web UI's checkpoint history do.
/// </summary>
internal static partial class FreshetCommand
{
    private const string DefaultJobUrl = "http://127.0.0.1:8081";

    private static Command SavepointCommand(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("directory") { Description = "Where the job writes the savepoint: a new or empty directory, as a path on the job's machine." };
        directory.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not { Length: > 0 })
            {
                result.AddError("The savepoint directory must not be empty.");
            }
        });
        var url = JobUrlOption();
        var timeout = new Option<double>("--timeout") { HelpName = "SECONDS", Description = "How long to wait for the savepoint to complete (default 600).", DefaultValueFactory = _ => 600 };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 86_400))
            {
                result.AddError("--timeout takes a positive number of seconds, at most 86400.");
            }
        });
        var command = new Command("savepoint", "Take a savepoint of a running job through its REST API and print its path, to start the job from later.") { directory, url, timeout };
        command.SetAction((parse, cancellation) => Guarded(parse, error, "savepoint", async () =>
        {
            using var client = new JobRestClient(JobAddress(parse.GetValue(url)!), TimeSpan.FromSeconds(parse.GetValue(timeout)));
            var path = await client.TriggerSavepointAsync(Path.GetFullPath(parse.GetValue(directory)!), cancellation).ConfigureAwait(false);
            output.WriteLine($"Savepoint completed: {path}");
            return 0;
        }));
        return command;
    }

    private static Command CheckpointsCommand(TextWriter output, TextWriter error)
    {
        var checkpoints = new Command("checkpoints", "The checkpoints of a running job, through its REST API.");
        var url = JobUrlOption();
        var format = new Option<string>("--output", "-o") { Description = "table (default) or json.", DefaultValueFactory = _ => GroupsOutput.Table };
        format.AcceptOnlyFromAmong(GroupsOutput.Table, GroupsOutput.Json);
        var list = new Command("list", "List a running job's recent checkpoints and savepoints, newest first: id, kind, outcome, trigger time, duration, size, and why a failed one failed.") { url, format };
        list.SetAction((parse, cancellation) => Guarded(parse, error, "checkpoints list", async () =>
        {
            using var client = new JobRestClient(JobAddress(parse.GetValue(url)!), TimeSpan.FromSeconds(30));
            var answer = await client.GetCheckpointsAsync(cancellation).ConfigureAwait(false);
            if (parse.GetValue(format) == GroupsOutput.Json)
            {
                output.WriteLine(answer.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            WriteCheckpointTable(answer, output);
            return 0;
        }));
        checkpoints.Subcommands.Add(list);
        return checkpoints;
    }

    private static Option<string> JobUrlOption()
    {
        var url = new Option<string>("--url") { HelpName = "URL", Description = $"The job's dashboard address (default {DefaultJobUrl}).", DefaultValueFactory = _ => DefaultJobUrl };
        url.Validators.Add(result =>
        {
            if (!JobRestClient.TryParseAddress(result.GetValueOrDefault<string>() ?? string.Empty, out _))
            {
                result.AddError($"--url takes an http address such as {DefaultJobUrl}, got '{result.GetValueOrDefault<string>()}'.");
            }
        });
        return url;
    }

    private static Uri JobAddress(string text) =>
        JobRestClient.TryParseAddress(text, out var address) ? address! : throw new ArgumentException($"--url takes an http address, got '{text}'.");

    private static void WriteCheckpointTable(JsonObject answer, TextWriter output)
    {
        var counts = answer["counts"] as JsonObject;
        output.WriteLine($"Completed {Text(counts?["completed"])}, failed {Text(counts?["failed"])}, in progress {Text(counts?["inProgress"])}, restarts {Text(counts?["restarts"])}.");
        var table = new TextTable("ID", "KIND", "OUTCOME", "TRIGGERED", "DURATION-MS", "STATE-BYTES", "FAILURE");
        foreach (var entry in (answer["history"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var savepoint = entry["isSavepoint"]?.GetValue<bool>() == true;
            table.Add(
                Text(entry["checkpointId"]),
                savepoint ? "savepoint" : "checkpoint",
                Text(entry["outcome"]),
                Text(entry["triggeredAt"]),
                entry["durationMs"] is JsonValue duration ? duration.GetValue<double>().ToString("0", CultureInfo.InvariantCulture) : null,
                Text(entry["stateBytes"]),
                Text(entry["failureReason"]));
        }

        table.WriteTo(output);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
