using System.Globalization;
using Freshet.Streaming.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// Renders the application-mode demo: a live table of the instances (tasks held, rankings committed) with the latest
/// events for a terminal, and one plain line per refresh when the output is redirected. Stateless.
/// </summary>
internal static class ApplicationDemoView
{
    /// <summary>The live view for a terminal.</summary>
    public static IRenderable Render(DemoViewState state)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("instance")
            .AddColumn(new TableColumn("pid").RightAligned())
            .AddColumn("state")
            .AddColumn("tasks ([green]running[/], [yellow]restoring[/])")
            .AddColumn(new TableColumn("rankings committed").RightAligned());
        foreach (var row in state.Instances)
        {
            var color = row.State switch
            {
                "running" => "green",
                "killed (SIGKILL)" => "red",
                _ when row.State.StartsWith("exited", StringComparison.Ordinal) => "red",
                _ => "yellow",
            };
            table.AddRow(
                Markup.Escape(row.Name),
                row.ProcessId.ToString(CultureInfo.InvariantCulture),
                $"[{color}]{Markup.Escape(row.State)}[/]",
                string.Join(' ', row.Tasks.Select(static t => $"[{(t.State == ApplicationTaskState.Running ? "green" : "yellow")}]{Markup.Escape(t.TaskId)}[/]")),
                row.Results.ToString("N0", CultureInfo.InvariantCulture));
        }

        var lines = new List<IRenderable>
        {
            new Markup(string.Create(CultureInfo.InvariantCulture, $"[bold]{Markup.Escape(state.Stage)}[/] — {state.Elapsed.TotalSeconds:0} s of {state.Duration.TotalSeconds:0} s")),
            table,
            new Markup(string.Create(CultureInfo.InvariantCulture, $"Readings produced [blue]{state.ReadingsProduced:N0}[/] · rankings committed to [blue]{SensorDemoJob.OutputTopic}[/] [blue]{state.RankingsCommitted:N0}[/] (read_committed)")),
        };
        foreach (var (at, text) in state.Events)
        {
            lines.Add(new Markup(string.Create(CultureInfo.InvariantCulture, $"[grey]{at.TotalSeconds,5:0.0} s[/] {Markup.Escape(text)}")));
        }

        lines.Add(new Markup("[grey]Ctrl+C ends the run early; the exactly-once check still runs.[/]"));
        return new Rows(lines);
    }

    /// <summary>One line for redirected output.</summary>
    public static string Line(DemoViewState state) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stamp(state.Elapsed)} readings {state.ReadingsProduced:N0} | rankings committed {state.RankingsCommitted:N0} | ")
        + string.Join(" | ", state.Instances.Select(static r => $"{r.Name} {r.State}{(r.Tasks.Count > 0 ? " " + string.Join(' ', r.Tasks.Select(static t => t.State == ApplicationTaskState.Running ? t.TaskId : t.TaskId + "*")) : "")} ({r.Results} rankings)"));

    /// <summary>An event as a line for redirected output.</summary>
    public static string EventLine(TimeSpan at, string text) => $"{Stamp(at)} {text}";

    private static string Stamp(TimeSpan at) => string.Create(CultureInfo.InvariantCulture, $"[{at.TotalSeconds,5:0.0} s]");
}
