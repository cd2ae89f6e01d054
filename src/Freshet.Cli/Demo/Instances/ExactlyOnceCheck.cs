using System.Globalization;
using Freshet.Log.Records;

namespace Freshet.Cli.Demo.Instances;

/// <summary>
/// The application-mode demo's exactly-once check, a pure function of the input topic and the committed output. It
/// recomputes the job from the input: which windows the input has closed (the watermark every partition reached:
/// its newest reading's time − <see cref="SensorDemoJob.MaxOutOfOrderness"/> − 1 ms, the least over the partitions,
/// as the job's sources compute it) and, for each window, every sensor's reading count and average. Then:
/// every closed window is in the output (no gap), no window is in it twice (no duplicate), and each ranking names the
/// hottest sensors with their exact reading counts (a reading counted twice or lost, in any state, changes a count).
/// Averages are compared to 0.01 °C, since the engine may add the readings of a window in another order.
/// </summary>
internal static class ExactlyOnceCheck
{
    private const int ProblemsPerKind = 3;
    private const double AverageTolerance = 0.0101;

    /// <summary>The ends of the windows <paramref name="inputPartitions"/> close, in order: the job must write each once.</summary>
    public static long[] ClosedWindows(IReadOnlyList<IEnumerable<LogRecord>> inputPartitions)
    {
        var (windows, watermark) = Recompute(inputPartitions);
        return [.. windows.Keys.Where(end => end - 1 <= watermark).Order()];
    }

    /// <summary>Checks <paramref name="results"/> (the committed output, in order) against <paramref name="inputPartitions"/> (each input partition's records in offset order).</summary>
    public static ExactlyOnceVerdict Run(IReadOnlyList<IEnumerable<LogRecord>> inputPartitions, IReadOnlyList<InstanceHotSensors> results)
    {
        var (windows, watermark) = Recompute(inputPartitions);
        var closed = windows.Keys.Where(end => end - 1 <= watermark).Order().ToArray();
        var written = results.GroupBy(static r => r.WindowEndMs).ToDictionary(static g => g.Key, static g => g.ToArray());
        var problems = new List<string>();
        problems.AddRange(written.Where(static w => w.Value.Length > 1).OrderBy(static w => w.Key).Take(ProblemsPerKind)
            .Select(static w => $"the window ending {Time(w.Key)} was written {w.Value.Length} times (by {string.Join(", ", w.Value.Select(static r => r.Instance))})."));
        problems.AddRange(closed.Where(end => !written.ContainsKey(end)).Take(ProblemsPerKind)
            .Select(static end => $"the window ending {Time(end)} is missing."));
        problems.AddRange(written.Keys.Where(end => !windows.ContainsKey(end)).Order().Take(ProblemsPerKind)
            .Select(static end => $"the window ending {Time(end)} has no readings in the input, yet was written."));
        problems.AddRange(written.Where(w => windows.ContainsKey(w.Key)).OrderBy(static w => w.Key)
            .Select(w => RankingProblem(w.Value[0], windows[w.Key])).OfType<string>().Take(ProblemsPerKind));
        return new ExactlyOnceVerdict(closed.Length, results.Count, problems);
    }

    /// <summary>Every window's readings per sensor (sum, count), and the watermark the input lets the job reach.</summary>
    private static (Dictionary<long, Dictionary<string, (double Sum, long Count)>> Windows, long Watermark) Recompute(IReadOnlyList<IEnumerable<LogRecord>> inputPartitions)
    {
        var sizeMs = (long)SensorDemoJob.WindowSize.TotalMilliseconds;
        var slideMs = (long)SensorDemoJob.WindowSlide.TotalMilliseconds;
        var delayMs = (long)SensorDemoJob.MaxOutOfOrderness.TotalMilliseconds;
        var windows = new Dictionary<long, Dictionary<string, (double Sum, long Count)>>();
        var watermark = long.MaxValue;
        foreach (var partition in inputPartitions)
        {
            var newest = long.MinValue;
            foreach (var record in partition)
            {
                var reading = record.Value is null ? null : SensorDemoJob.TryDecodeReading(record.Value);
                newest = Math.Max(newest, reading?.TimeMs ?? record.Timestamp);
                if (reading is null || reading.Celsius < SensorDemoJob.ThresholdCelsius)
                {
                    continue;
                }

                for (var start = reading.TimeMs - PositiveRemainder(reading.TimeMs, slideMs); start > reading.TimeMs - sizeMs; start -= slideMs)
                {
                    if (!windows.TryGetValue(start + sizeMs, out var sensors))
                    {
                        sensors = new Dictionary<string, (double, long)>(StringComparer.Ordinal);
                        windows[start + sizeMs] = sensors;
                    }

                    var (sum, count) = sensors.GetValueOrDefault(reading.SensorId);
                    sensors[reading.SensorId] = (sum + reading.Celsius, count + 1);
                }
            }

            watermark = Math.Min(watermark, newest == long.MinValue ? long.MinValue : newest - delayMs - 1);
        }

        return (windows, watermark);
    }

    /// <summary>What is wrong with <paramref name="written"/> given the sensors of its window in the input; null when nothing.</summary>
    private static string? RankingProblem(InstanceHotSensors written, Dictionary<string, (double Sum, long Count)> sensors)
    {
        var expected = sensors
            .Select(static s => (Sensor: s.Key, s.Value.Count, Average: Math.Round(s.Value.Sum / s.Value.Count, 2)))
            .OrderByDescending(static s => s.Average).ThenBy(static s => s.Sensor, StringComparer.Ordinal)
            .Take(SensorDemoJob.TopN)
            .ToArray();
        if (written.Ranking.Count != expected.Length || written.Ranking.Select(static r => r.SensorId).Distinct(StringComparer.Ordinal).Count() != expected.Length)
        {
            return $"the window ending {Time(written.WindowEndMs)} ranks {written.Ranking.Count} sensors ({string.Join(", ", written.Ranking.Select(static r => r.SensorId))}); the input gives {expected.Length} distinct ones.";
        }

        for (var i = 0; i < expected.Length; i++)
        {
            var entry = written.Ranking[i];
            if (!sensors.TryGetValue(entry.SensorId, out var input))
            {
                return $"the window ending {Time(written.WindowEndMs)} ranks {entry.SensorId}, which has no readings in it.";
            }

            if (entry.Readings != input.Count)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the window ending {Time(written.WindowEndMs)} counts {entry.Readings} readings of {entry.SensorId}; the input has {input.Count}.");
            }

            var average = input.Sum / input.Count;
            if (Math.Abs(entry.AverageCelsius - average) > AverageTolerance || Math.Abs(average - expected[i].Average) > AverageTolerance)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the window ending {Time(written.WindowEndMs)} ranks {entry.SensorId} ({entry.AverageCelsius:0.00} °C) at #{i + 1}; the input gives {expected[i].Sensor} ({expected[i].Average:0.00} °C) there.");
            }
        }

        return null;
    }

    private static long PositiveRemainder(long value, long divisor) => ((value % divisor) + divisor) % divisor;

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).LocalDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
