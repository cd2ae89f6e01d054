using Freshet.Streaming.Connectors;

namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>
    /// Writes each record as a line of UTF-8 text into rolling part files in <paramref name="directory"/> (see
    /// <see cref="RollingFileSink{T}"/>).
    /// </summary>
    /// <param name="directory">Where the part files go (created if missing).</param>
    /// <param name="format">Turns a record into one line; default <c>ToString()</c>.</param>
    /// <param name="options">Rolling and naming; defaults when null.</param>
    public DataStreamSink SinkToFiles(string directory, Func<T, string>? format = null, RollingFileSinkOptions? options = null) =>
        SinkTo(new RollingFileSink<T>(directory, format, options), $"File Sink: {directory}");
}
