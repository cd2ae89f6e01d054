namespace Freshet.Bench.Reporting;

/// <summary>Medians of repeated measurements: robust against the odd slow run on a shared, noisy machine.</summary>
internal static class Median
{
    /// <summary>The median of <paramref name="samples"/> (the mean of the middle two for an even count).</summary>
    public static double Of(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("A median needs at least one sample.", nameof(samples));
        }

        var sorted = new double[samples.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = samples[i];
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
