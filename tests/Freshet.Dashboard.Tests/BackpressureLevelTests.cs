using Freshet.Dashboard.Jobs;

namespace Freshet.Dashboard.Tests;

/// <summary>Flink's backpressure thresholds: backpressured at most 10% of the time is OK, at most 50% LOW, above HIGH.</summary>
public sealed class BackpressureLevelTests
{
    [Theory]
    [InlineData(0.0, "OK")]
    [InlineData(0.10, "OK")]
    [InlineData(0.1001, "LOW")]
    [InlineData(0.5, "LOW")]
    [InlineData(0.5001, "HIGH")]
    [InlineData(1.0, "HIGH")]
    public void Classify_BackpressuredRatio_GivesFlinksLevel(double ratio, string expected) =>
        Assert.Equal(expected, BackpressureLevel.Classify(ratio));
}
