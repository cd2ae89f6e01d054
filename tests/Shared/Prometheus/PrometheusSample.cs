namespace Freshet.Tests.Prometheus;

/// <summary>One series of an instant query's answer: its labels (the metric name under <c>__name__</c>) and its value at <see cref="Timestamp"/>.</summary>
/// <param name="Labels">The series' labels, the name included.</param>
/// <param name="Timestamp">The evaluation time of the query (Prometheus' instant-query timestamp), not the scrape time.</param>
/// <param name="Value">The value; NaN and infinities as Prometheus reports them.</param>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, DateTimeOffset Timestamp, double Value)
{
    /// <summary>The label's value, or null when the series has no such label.</summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}
