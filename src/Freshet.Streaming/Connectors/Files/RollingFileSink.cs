using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// Writes records as lines of UTF-8 text into part files of a directory (Flink's <c>FileSink</c> with a row format
/// and its default rolling policy). Each sink subtask writes one part file at a time, named while open
/// <c>.PREFIX-SUBTASK-COUNTER SUFFIX.inprogress</c> (hidden), and finishes it when it reaches
/// <see cref="RollingFileSinkOptions.MaxPartBytes"/>, when it has been open
/// <see cref="RollingFileSinkOptions.RolloverInterval"/>, and at end of input. Finishing flushes and fsyncs the file,
/// renames it atomically to <c>PREFIX-SUBTASK-COUNTER SUFFIX</c>, and fsyncs the directory: a finished part file is
/// complete and durable; a reader that lists only names without a leading dot never sees a partial file.
/// Counters continue after the highest finished part of the subtask already in the directory, so a restarted job
/// does not overwrite earlier output. Without checkpoints: at-least-once; a job that is cancelled or fails leaves its
/// in-progress file as it is. With checkpoints (as Flink's <c>FileSink</c>): exactly-once — parts also roll at every
/// checkpoint, and a closed part is renamed to its final name only when the checkpoint covering its records
/// completes; after a restore the hidden parts of unfinished checkpoints are deleted and their records written again.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class RollingFileSink<T> : Sink<T>
{
    private readonly string _directory;
    private readonly Func<T, string> _format;
    private readonly RollingFileSinkOptions _options;

    /// <summary>A sink writing to <paramref name="directory"/> (created if missing).</summary>
    /// <param name="directory">Where the part files go.</param>
    /// <param name="format">Turns a record into one line (without the line end); default <c>ToString()</c>. Shared by all subtasks.</param>
    /// <param name="options">Rolling and naming; defaults when null.</param>
    public RollingFileSink(string directory, Func<T, string>? format = null, RollingFileSinkOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _format = format ?? (static value => value?.ToString() ?? string.Empty);
        _options = options ?? new RollingFileSinkOptions();
    }

    /// <inheritdoc/>
    public override SinkWriter<T> CreateWriter(SinkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CheckpointingEnabled
            ? new TransactionalRollingFileSinkWriter<T>(_directory, _format, _options, context)
            : new RollingFileSinkWriter<T>(_directory, _format, _options, context);
    }
}
