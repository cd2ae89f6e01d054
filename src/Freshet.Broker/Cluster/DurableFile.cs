using Freshet.Log.Segments;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Small text files the broker keeps next to the log (cluster id, producer id block), replaced
/// atomically and durably with the log's own routine (temporary file, fsync, rename, fsync of the
/// directory): after a crash the file holds either the old or the new content, never a mix.
/// Thread-safety: callers serialize writes to one path.
/// </summary>
internal static class DurableFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> durably.</summary>
    public static void WriteAllText(string path, string contents) =>
        SegmentFiles.WriteAllBytesDurably(path, System.Text.Encoding.UTF8.GetBytes(contents));

    /// <summary>Reads the file, or returns null if it does not exist.</summary>
    public static string? TryReadAllText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
