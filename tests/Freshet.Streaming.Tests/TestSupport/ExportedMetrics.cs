using OpenTelemetry.Metrics;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Reading what OpenTelemetry's in-memory exporter collected of the engine's meter, one job at a time.</summary>
internal static class ExportedMetrics
{
    /// <summary>The points of the newest export of <paramref name="name"/> for one job whose tag <paramref name="key"/> is <paramref name="value"/>.</summary>
    public static List<MetricPoint> Points(List<MetricSnapshot> exported, string name, string jobName, string key, string value) =>
        exported.Last(m => m.Name == name).MetricPoints.Where(p => Tag(p, "freshet.job.name") == jobName && Tag(p, key) == value).ToList();

    /// <summary>The value of the point's tag <paramref name="key"/> as text, or null when the point has no such tag.</summary>
    public static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
