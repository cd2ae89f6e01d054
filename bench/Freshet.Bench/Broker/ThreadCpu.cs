using System.Globalization;

namespace Freshet.Bench.Broker;

/// <summary>
/// Diagnostic (set <c>FRESHET_BENCH_TRACE</c>): CPU time of this process's threads grouped by thread name,
/// read from <c>/proc/self/task/*/stat</c> on Linux, so a measurement can say who used the cores: the
/// application thread, librdkafka's threads (<c>rdk:*</c>, the mock's included), or the broker's
/// thread-pool workers. Empty elsewhere.
/// </summary>
internal static class ThreadCpu
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("FRESHET_BENCH_TRACE") is not null;

    /// <summary>CPU milliseconds per thread name (user + system) of threads alive now.</summary>
    public static Dictionary<string, double> Snapshot()
    {
        var result = new Dictionary<string, double>();
        if (!Enabled || !Directory.Exists("/proc/self/task"))
        {
            return result;
        }

        var tickMs = 1000.0 / 100; // USER_HZ is 100 on Linux.
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var name = Group(stat[(open + 1)..close]);
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                result[name] = result.GetValueOrDefault(name) + (ticks * tickMs);
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return result;
    }

    /// <summary>One line: CPU ms per thread group used since <paramref name="before"/>.</summary>
    public static string Since(Dictionary<string, double> before, TimeSpan wall)
    {
        var after = Snapshot();
        var parts = after
            .Select(kv => (kv.Key, Ms: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(p => p.Ms > 0)
            .OrderByDescending(p => p.Ms)
            .Select(p => $"{p.Key} {p.Ms:0}");
        return $"wall {wall.TotalMilliseconds:0} ms, cpu ms: {string.Join(", ", parts)}";
    }

    private static string Group(string name) =>
        name.StartsWith(".NET TP Worker", StringComparison.Ordinal) ? "tp-workers"
        : name.StartsWith("rdk:broker", StringComparison.Ordinal) ? "rdk:broker"
        : name.StartsWith("rdk:mock", StringComparison.Ordinal) ? "rdk:mock"
        : name.StartsWith(".NET Long", StringComparison.Ordinal) ? "long-running"
        : name;
}
