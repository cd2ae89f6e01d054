using Microsoft.Win32.SafeHandles;

namespace Freshet.Broker.Cluster;

/// <summary>
/// Small files the broker keeps next to the log (cluster id, producer id block), replaced
/// atomically and durably: write a temporary file, fsync it, rename it over the old one, fsync the
/// directory. After a crash the file holds either the old or the new content, never a mix.
/// Thread-safety: callers serialize writes to one path.
/// </summary>
internal static class DurableFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> durably.</summary>
    public static void WriteAllText(string path, string contents)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(contents);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        FsyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Reads the file, or returns null if it does not exist.</summary>
    public static string? TryReadAllText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static void FsyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows cannot open a directory for flushing; NTFS journals the rename.
            return;
        }

        using SafeFileHandle handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
        RandomAccess.FlushToDisk(handle);
    }
}
