namespace Freshet.Streaming.Connectors.Files;

/// <summary>Finds the files of a text file source and holds its limits. Thread-safe (stateless).</summary>
internal static class TextFileSource
{
    /// <summary>Size of a reader position: version byte, int32 file index, int64 byte offset.</summary>
    public const int PositionBytes = 13;

    /// <summary>
    /// The files to read, sorted by full path (ordinal): <paramref name="path"/> itself when it is a file, else the
    /// files directly in the directory whose names match <paramref name="searchPattern"/> (<c>*</c> and <c>?</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a directory exists at <paramref name="path"/>.</exception>
    public static string[] ListFiles(string path, string searchPattern)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return [full];
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"No file or directory at '{full}'.", full);
        }

        var files = Directory.GetFiles(full, searchPattern, SearchOption.TopDirectoryOnly);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
