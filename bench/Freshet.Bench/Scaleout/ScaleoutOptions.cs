using System.Globalization;

namespace Freshet.Bench.Scaleout;

/// <summary>The options of the scaleout suite (see <see cref="ScaleoutSuite"/>).</summary>
internal sealed record ScaleoutOptions(
    long Records,
    int Reps,
    int BaselineReps,
    IReadOnlyList<int> Instances,
    int Parallelism,
    int SessionTimeoutMs,
    int FailoverReps,
    int FailoverRate,
    string? Parent)
{
    public const string Usage = "usage: Freshet.Bench scaleout [--quick] [--records N] [--reps N] [--baseline-reps N] [--instances 1,2,3] [--parallelism N] [--session-timeout-ms MS] [--failover-reps N] [--failover-rate N] [--dir PATH]";

    /// <summary>
    /// 2M records; application runs once per instance count (each takes a minute or more), the cheap measurements
    /// (single process, restore, plain consumer) 3 times, failover 3 times.
    /// </summary>
    public static ScaleoutOptions Default => new(2_000_000, 1, 3, [1, 2, 3], Environment.ProcessorCount, 3000, 3, 2000, null);

    /// <summary>A short run: 300,000 records, one repetition of everything.</summary>
    public static ScaleoutOptions Quick => Default with { Records = 300_000, Reps = 1, BaselineReps = 1, FailoverReps = 1 };

    public static bool TryParse(string[] args, out ScaleoutOptions options)
    {
        options = args.Contains("--quick") ? Quick : Default;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : null;
            var number = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= int.MaxValue ? (int)n : -1;
            ScaleoutOptions? parsed = args[i] switch
            {
                "--records" when number >= ScaleoutJob.InputPartitions => options with { Records = number },
                "--reps" when number > 0 => options with { Reps = number },
                "--baseline-reps" when number > 0 => options with { BaselineReps = number },
                "--instances" when ParseInstances(value) is { } instances => options with { Instances = instances },
                "--parallelism" when number > 0 => options with { Parallelism = number },
                "--session-timeout-ms" when number >= 1000 => options with { SessionTimeoutMs = number },
                "--failover-reps" when number > 0 => options with { FailoverReps = number },
                "--failover-rate" when number > 0 => options with { FailoverRate = number },
                "--dir" when value is not null => options with { Parent = value },
                _ => null,
            };
            if (parsed is null)
            {
                Console.Error.WriteLine($"scaleout: unknown or invalid option '{args[i]}'.");
                return false;
            }

            options = parsed;
            i++;
        }

        return true;
    }

    /// <summary>A comma-separated list of instance counts from 1 to 6 (one task of each sub-topology per instance at most), or null.</summary>
    private static int[]? ParseInstances(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var counts = new List<int>();
        foreach (var part in value.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ScaleoutJob.InputPartitions || counts.Contains(count))
            {
                return null;
            }

            counts.Add(count);
        }

        return counts.Count == 0 ? null : [.. counts];
    }
}
