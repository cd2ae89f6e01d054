using System.Globalization;

namespace Freshet.Streaming.Tests.Application;

/// <summary>
/// One <c>status generation=N tasks=0_1:Running,...</c> line of a test host instance, with when the test process
/// received it (the host prints one every 500 ms; a loaded machine may print or pass it on later).
/// </summary>
/// <param name="ReceivedAt">When the line arrived in the test process (UTC).</param>
/// <param name="Generation">The group generation the instance holds its tasks in; -1 while it holds none.</param>
/// <param name="Tasks">The instance's tasks and their states, e.g. <c>0_1</c> → <c>Running</c>.</param>
internal sealed record InstanceStatusLine(DateTime ReceivedAt, int Generation, IReadOnlyDictionary<string, string> Tasks)
{
    private const string Prefix = "status generation=";

    /// <summary>Parses a status line; false for any other line of the host's output.</summary>
    public static bool TryParse(string line, DateTime receivedAt, out InstanceStatusLine status)
    {
        status = null!;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = line[Prefix.Length..].Split(" tasks=");
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in parts[1].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = task.IndexOf(':', StringComparison.Ordinal);
            tasks[task[..separator]] = task[(separator + 1)..];
        }

        status = new InstanceStatusLine(receivedAt, generation, tasks);
        return true;
    }

    /// <summary>Whether the instance holds tasks and every one of them runs (restored, processing).</summary>
    public bool AllRunning => Tasks.Count > 0 && Tasks.Values.All(static s => s == "Running");

    public override string ToString() => $"generation {Generation}: [{string.Join(",", Tasks.Select(static t => $"{t.Key}:{t.Value}"))}]";
}
