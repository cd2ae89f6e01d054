namespace Freshet.Bench.Broker;

/// <summary>Nearest-rank percentiles of latency samples.</summary>
internal static class Percentile
{
    /// <summary>The smallest sample that at least <paramref name="percent"/> % of <paramref name="sorted"/> are at or below.</summary>
    public static double Of(double[] sorted, double percent)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A percentile needs at least one sample.", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
