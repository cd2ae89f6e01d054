namespace Freshet.Bench.Reporting;

/// <summary>
/// One measured quantity for Freshet and for its baseline, sampled the same number of times in the
/// same run (repetitions alternate between the two so that drift on a shared machine hits both).
/// <see cref="Ratio"/> is Freshet's median over the baseline's median: above 1 means Freshet is faster.
/// </summary>
internal sealed class Comparison
{
    private readonly List<double> _freshet = [];
    private readonly List<double> _baseline = [];

    public Comparison(string name, string unit, string baselineName)
    {
        Name = name;
        Unit = unit;
        BaselineName = baselineName;
    }

    /// <summary>What is measured, for example "append 1 KB records, 64 KB batches".</summary>
    public string Name { get; }

    /// <summary>Unit of every sample, for example "MB/s" (higher is better).</summary>
    public string Unit { get; }

    /// <summary>What the baseline does, for example "FileStream write loop".</summary>
    public string BaselineName { get; }

    public IReadOnlyList<double> FreshetSamples => _freshet;

    public IReadOnlyList<double> BaselineSamples => _baseline;

    public double FreshetMedian => Median.Of(_freshet);

    public double BaselineMedian => Median.Of(_baseline);

    public double Ratio => FreshetMedian / BaselineMedian;

    public void AddFreshet(double value) => _freshet.Add(value);

    public void AddBaseline(double value) => _baseline.Add(value);
}
