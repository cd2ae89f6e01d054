using System.Text.Json;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Examples;

/// <summary>
/// A source of the lines of the newline-delimited JSON files in a directory, each line deserialized with
/// System.Text.Json into a <typeparamref name="T"/>. Each file is a split, assigned to a subtask by a stable hash of
/// its name (<see cref="SplitAssignment.SubtaskOf(string, int)"/>). Bounded (read the files present when the job
/// starts, then end) or continuous (list the directory again every <c>monitorInterval</c> and read the files that
/// appeared, for ever).
/// <para>
/// Files: every file directly in the directory whose name does not start with '.'. A file must be complete when it
/// appears under its name and not change afterwards — write it under a hidden name and rename it (an atomic rename in
/// the same directory). Lines are UTF-8 JSON values separated by <c>\n</c> (a trailing <c>\r</c> and blank lines are
/// ignored; the last line needs no terminator). A line that is not a <typeparamref name="T"/> fails the job with the
/// file and byte offset.
/// </para>
/// <para>
/// Checkpoints: the position is the byte offset after the last emitted line of every file the reader has taken on,
/// so a restore resumes exactly after that line; it applies at any parallelism. The position names every file read
/// to its end that is still in the directory, so it grows with the directory: move or delete files that are done.
/// </para>
/// </summary>
/// <typeparam name="T">The type each line is deserialized into.</typeparam>
public sealed class NdjsonDirectorySource<T> : Source<T>
{
    private readonly string _directory;
    private readonly Func<T, long>? _eventTime;
    private readonly TimeSpan? _monitorInterval;
    private readonly JsonSerializerOptions _json;

    /// <param name="directory">The directory to read.</param>
    /// <param name="eventTime">The record's event time (ms since the Unix epoch), from one of its fields; null for none.</param>
    /// <param name="monitorInterval">How often to look for new files; null reads the files present at start, then ends.</param>
    /// <param name="json">Deserialization options; default <see cref="JsonSerializerDefaults.Web"/> (camelCase, case-insensitive).</param>
    public NdjsonDirectorySource(string directory, Func<T, long>? eventTime = null, TimeSpan? monitorInterval = null, JsonSerializerOptions? json = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (monitorInterval is { } interval && interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(monitorInterval), interval, "The monitor interval must be at least 1 ms.");
        }

        _directory = Path.GetFullPath(directory);
        _eventTime = eventTime;
        _monitorInterval = monitorInterval;
        _json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <inheritdoc/>
    public override SourceReader<T> CreateReader(SourceReaderContext context) =>
        new NdjsonDirectorySourceReader<T>(_directory, _eventTime, _monitorInterval, _json, context);
}
