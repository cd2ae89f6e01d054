namespace Freshet.Dashboard.Jobs;

/// <summary>Flink's backpressure levels of a subtask from the share of time it was backpressured.</summary>
internal static class BackpressureLevel
{
    /// <summary>Backpressured at most 10% of the time.</summary>
    public const string Ok = "OK";

    /// <summary>More than 10%, at most 50%.</summary>
    public const string Low = "LOW";

    /// <summary>More than 50%.</summary>
    public const string High = "HIGH";

    /// <param name="backpressuredRatio">Share of time waiting for room downstream, 0 to 1.</param>
    public static string Classify(double backpressuredRatio) => backpressuredRatio switch
    {
        <= 0.10 => Ok,
        <= 0.5 => Low,
        _ => High,
    };
}
