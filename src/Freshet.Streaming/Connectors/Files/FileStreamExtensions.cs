using Freshet.Streaming.Planning;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// The file connector's entry points on the core API: <c>environment.FromTextFiles(...)</c> reads lines of files,
/// <c>stream.SinkToFiles(...)</c> writes rolling part files (exactly-once with checkpoints).
/// </summary>
public static class FileStreamExtensions
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
    public static DataStream<string> FromTextFiles(this StreamEnvironment environment, string path, string searchPattern = "*", WatermarkStrategy<string>? watermarkStrategy = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(searchPattern);
        var files = TextFileSource.ListFiles(path, searchPattern);
        var node = new SourceTransformation<string>(environment.NextId(), name ?? $"Text File Source: {path}", environment.Options.Parallelism, context => new TextFileSourceReader(files, MaxTextLineBytes, context.SubtaskIndex, context.Parallelism), watermarkStrategy ?? WatermarkStrategy.NoWatermarks<string>());
        return environment.Add(node);
    }

    /// <summary>
    /// Writes each record as a line of UTF-8 text into rolling part files in <paramref name="directory"/> (see
    /// <see cref="RollingFileSink{T}"/>).
    /// </summary>
    /// <param name="directory">Where the part files go (created if missing).</param>
    /// <param name="format">Turns a record into one line; default <c>ToString()</c>.</param>
    /// <param name="options">Rolling and naming; defaults when null.</param>
    public static DataStreamSink SinkToFiles<T>(this DataStream<T> stream, string directory, Func<T, string>? format = null, RollingFileSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.SinkTo(new RollingFileSink<T>(directory, format, options), $"File Sink: {directory}");
    }
}
