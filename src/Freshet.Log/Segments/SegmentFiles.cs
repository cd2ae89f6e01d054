using System.Globalization;
using System.Runtime.InteropServices;

namespace Freshet.Log.Segments;

/// <summary>
/// File naming and durable file operations for segment directories. A segment's files are named by
/// its base offset as 20 zero-padded digits: <c>00000000000000000042.log</c>, <c>.index</c>,
/// <c>.timeindex</c>. Thread-safe (stateless).
/// </summary>
internal static partial class SegmentFiles
{
    public const string LogExtension = ".log";
    public const string IndexExtension = ".index";
    public const string TimeIndexExtension = ".timeindex";

    /// <summary>Suffix of files removed by retention or compaction, deleted after a delay so open readers finish.</summary>
    public const string DeletedSuffix = ".deleted";

    /// <summary>Suffix of a compacted replacement being written; discarded on recovery.</summary>
    public const string CleanedSuffix = ".cleaned";

    /// <summary>Suffix of a finished compacted replacement; recovery completes the swap.</summary>
    public const string SwapSuffix = ".swap";

    public static string FileName(long baseOffset, string extension) =>
        baseOffset.ToString("D20", CultureInfo.InvariantCulture) + extension;

    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        var name = Path.GetFileName(fileName);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        baseOffset = 0;
        return dot == 20 && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }

    /// <summary>Writes a whole file so that after a crash it holds either the old or the new content: temp file, fsync, rename, fsync directory.</summary>
    public static void WriteAllBytesDurably(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Makes a directory's entries (creations, renames, deletions) durable. No-op where the OS has no such call.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
