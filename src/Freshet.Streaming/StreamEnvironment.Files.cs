using Freshet.Streaming.Connectors;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Time;

namespace Freshet.Streaming;

public sealed partial class StreamEnvironment
{
    /// <summary>Longest line a text file source accepts, in bytes; a longer line fails the job with a message naming the file.</summary>
    public const int MaxTextLineBytes = 16 * 1024 * 1024;

    /// <summary>
    /// A bounded source of the lines of a text file, or of every file directly in a directory whose name matches
    /// <paramref name="searchPattern"/> (Flink's <c>FileSource</c> with a text line format). The files are listed
    /// now, sorted by path; each file is one split, and file <c>i</c> is read by subtask <c>i % parallelism</c>.
    /// Lines are UTF-8, end at <c>\n</c> (a trailing <c>\r</c> is dropped) and carry no event time.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file or directory at <paramref name="path"/>.</exception>
    public DataStream<string> FromTextFiles(string path, string searchPattern = "*", WatermarkStrategy<string>? watermarkStrategy = null, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(searchPattern);
        var files = TextFileSource.ListFiles(path, searchPattern);
        var node = new SourceTransformation<string>(NextId(), name ?? $"Text File Source: {path}", Options.Parallelism, (s, p) => new TextFileSourceReader(files, MaxTextLineBytes, s, p), watermarkStrategy ?? WatermarkStrategy.NoWatermarks<string>());
        return Add(node);
    }
}
