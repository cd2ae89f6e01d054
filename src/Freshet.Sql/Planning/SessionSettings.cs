using System.Globalization;
using Freshet.Sql.Ast;
using Freshet.Streaming;
using Freshet.Streaming.State;

namespace Freshet.Sql.Planning;

/// <summary>
/// The SET keys a SQL session understands (Flink's names), how each is checked, and how they shape the environment of
/// the jobs <c>ExecuteSqlAsync</c> starts. Unknown keys are refused, so that a mistyped key cannot be silently
/// ignored. Pure.
/// </summary>
internal static class SessionSettings
{
    public const string Parallelism = "parallelism.default";
    public const string PipelineName = "pipeline.name";
    public const string CheckpointingInterval = "execution.checkpointing.interval";
    public const string CheckpointsDirectory = "state.checkpoints.dir";
    public const string StateBackendName = "state.backend";

    private static readonly string[] Known = [CheckpointingInterval, Parallelism, PipelineName, StateBackendName, CheckpointsDirectory];

    public static void Validate(TableOption option)
    {
        switch (option.Key)
        {
            case Parallelism when !int.TryParse(option.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1:
                throw new SqlValidationException($"'{Parallelism}' must be a positive integer, not '{option.Value}'", option.Span);
            case CheckpointingInterval when Duration(option.Value) is null:
                throw new SqlValidationException($"'{CheckpointingInterval}' must be a duration such as '10 s', '500 ms' or '1 min', not '{option.Value}'", option.Span);
            case StateBackendName when option.Value is not ("hashmap" or "rocksdb"):
                throw new SqlValidationException($"'{StateBackendName}' must be 'hashmap' or 'rocksdb', not '{option.Value}'", option.Span);
            case Parallelism or PipelineName or CheckpointingInterval or StateBackendName or CheckpointsDirectory:
                return;
            default:
                throw new SqlValidationException($"Unknown setting '{option.Key}'; known settings: {string.Join(", ", Known)}", option.Span);
        }
    }

    /// <summary><paramref name="options"/> with the session's settings applied.</summary>
    public static StreamEnvironmentOptions Apply(StreamEnvironmentOptions options, IReadOnlyDictionary<string, string> settings)
    {
        if (settings.TryGetValue(Parallelism, out var parallelism))
        {
            options = options with { Parallelism = int.Parse(parallelism, CultureInfo.InvariantCulture) };
        }

        if (settings.TryGetValue(StateBackendName, out var backend))
        {
            options = options with { StateBackend = backend == "rocksdb" ? StateBackend.RocksDb() : StateBackend.Heap };
        }

        if (settings.TryGetValue(CheckpointingInterval, out var interval))
        {
            var directory = settings.TryGetValue(CheckpointsDirectory, out var d) ? d
                : options.Checkpointing?.Directory
                ?? throw new SqlValidationException($"'{CheckpointingInterval}' needs '{CheckpointsDirectory}' (where checkpoints are written)", default);
            options = options with
            {
                Checkpointing = (options.Checkpointing ?? new CheckpointingOptions { Directory = directory }) with { Directory = directory, Interval = Duration(interval)!.Value },
            };
        }

        return options;
    }

    /// <summary>A duration in Flink's forms: a number of milliseconds, or a number and a unit (ms, s, min, h).</summary>
    public static TimeSpan? Duration(string text)
    {
        var trimmed = text.Trim();
        var split = 0;
        while (split < trimmed.Length && char.IsAsciiDigit(trimmed[split]))
        {
            split++;
        }

        if (split == 0 || !long.TryParse(trimmed.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return null;
        }

        return trimmed[split..].Trim().ToLowerInvariant() switch
        {
            "" or "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(amount),
            "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(amount),
            "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(amount),
            "h" or "hour" or "hours" => TimeSpan.FromHours(amount),
            _ => null,
        };
    }
}
