namespace Freshet.Streaming.Connectors.Files;

/// <summary>When a <see cref="RollingFileSink{T}"/> finishes a part file and starts the next (Flink's <c>DefaultRollingPolicy</c>).</summary>
public sealed record RollingFileSinkOptions
{
    /// <summary>A part file is finished once it holds at least this many bytes (checked after each record); default 128 MiB.</summary>
    public long MaxPartBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxPartBytes));
            field = value;
        }
    } = 128L * 1024 * 1024;

    /// <summary>
    /// A part file is finished once it has been open this long (processing time, the job's clock), checked on each
    /// write and by a timer while no records arrive; default 60 s.
    /// </summary>
    public TimeSpan RolloverInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1), nameof(RolloverInterval));
            field = value;
        }
    } = TimeSpan.FromSeconds(60);

    /// <summary>Start of part file names (<c>PREFIX-SUBTASK-COUNTER SUFFIX</c>); default <c>part</c>.</summary>
    public string PartPrefix
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(PartPrefix));
            if (value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || value.StartsWith('.'))
            {
                throw new ArgumentException($"'{value}' cannot start a file name.", nameof(PartPrefix));
            }

            field = value;
        }
    } = "part";

    /// <summary>End of part file names, e.g. <c>.txt</c>; default none.</summary>
    public string PartSuffix
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(PartSuffix));
            if (value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                throw new ArgumentException($"'{value}' cannot end a file name.", nameof(PartSuffix));
            }

            field = value;
        }
    } = string.Empty;
}
