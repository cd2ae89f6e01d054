using System.Globalization;

namespace Freshet.Hosting;

/// <summary>
/// The savepoints a hosted job writes when it stops: one <c>savepoint-yyyyMMddTHHmmssfffZ</c> directory per stop under
/// the job's savepoint directory, so that the names sort by time. A savepoint is complete once its <c>_manifest</c>
/// exists (the engine writes it last, by atomic rename). Stateless; thread-safe.
/// </summary>
internal static class SavepointDirectories
{
    private const string Prefix = "savepoint-";
    private const string ManifestName = "_manifest";

    /// <summary>A new directory for a savepoint taken at <paramref name="utcNow"/>.</summary>
    public static string NewPath(string root, DateTimeOffset utcNow) =>
        Path.Combine(root, Prefix + utcNow.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture));

    /// <summary>The newest complete savepoint under <paramref name="root"/>, or null when there is none.</summary>
    public static string? FindNewestComplete(string root)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        string? newest = null;
        foreach (var directory in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            if (File.Exists(Path.Combine(directory, ManifestName))
                && (newest is null || string.CompareOrdinal(Path.GetFileName(directory), Path.GetFileName(newest)) > 0))
            {
                newest = directory;
            }
        }

        return newest;
    }
}
