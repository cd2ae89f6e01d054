using System.Globalization;
using System.Text;
using Freshet.Log.Segments;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// The part files of one subtask of <see cref="RollingFileSink{T}"/>: at most one open in-progress part file, named
/// <c>.PREFIX-SUBTASK-COUNTER SUFFIX.inprogress</c> (hidden); rolls by size after a record, by age after a batch or on
/// a processing-time timer. A closed part is complete and durable under its hidden name and is handed to the owner's
/// <c>onPartClosed</c>, which publishes it at once (<see cref="RollingFileSinkWriter{T}"/>, at-least-once) or when its
/// checkpoint completes (<see cref="TransactionalRollingFileSinkWriter{T}"/>). Task thread only (timers fire on the
/// task thread).
/// </summary>
internal sealed class PartFileRoller<T> : IProcessingTimeCallback, IDisposable
{
    public const string InProgressSuffix = ".inprogress";

    private readonly string _directory;
    private readonly Func<T, string> _format;
    private readonly RollingFileSinkOptions _options;
    private readonly int _subtask;
    private readonly ProcessingTimeService? _processingTime;
    private readonly Action<string> _onPartClosed;
    private readonly long _rolloverMs;
    private readonly byte[] _newline = "\n"u8.ToArray();
    private byte[] _encoded = new byte[256];
    private FileStream? _part;
    private string _partPath = string.Empty;
    private long _partOpenedMs;
    private long _nextCounter;
    private bool _timerScheduled;

    /// <param name="onPartClosed">Called with the hidden name (no directory) of each part as it is closed.</param>
    public PartFileRoller(string directory, Func<T, string> format, RollingFileSinkOptions options, SinkContext context, Action<string> onPartClosed)
    {
        _directory = directory;
        _onPartClosed = onPartClosed;
        _format = format;
        _options = options;
        _subtask = context.SubtaskIndex;
        _processingTime = context.ProcessingTime;
        _rolloverMs = (long)options.RolloverInterval.TotalMilliseconds;
        Directory.CreateDirectory(directory);
        _nextCounter = NextCounterAfterExistingParts();
    }

    /// <summary>Number of part files this writer made visible under their final names.</summary>
    public int FinishedParts { get; private set; }

    /// <summary>The directory the parts go to.</summary>
    public string PartDirectory => _directory;

    public RollingFileSinkOptions Options => _options;

    /// <summary>Appends each record as a line of the open part (opening one if needed) and rolls by size and age.</summary>
    public void Write(ReadOnlySpan<T> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var line = _format(values[i]) ?? string.Empty;
            var part = _part ?? OpenPart();
            var bytes = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (bytes > _encoded.Length)
            {
                _encoded = new byte[Math.Max(bytes, _encoded.Length * 2)];
            }

            var length = Encoding.UTF8.GetBytes(line, _encoded);
            part.Write(_encoded, 0, length);
            part.Write(_newline);
            if (part.Position >= _options.MaxPartBytes)
            {
                ClosePart();
            }
        }

        // Age is checked once per batch (one clock read), not per record; the timer covers quiet periods.
        if (_part is not null && Now - _partOpenedMs >= _rolloverMs)
        {
            ClosePart();
        }
    }

    /// <summary>Flushes and fsyncs the open part, if any, keeping it open.</summary>
    public void FlushOpenPart() => _part?.Flush(flushToDisk: true);

    public void OnProcessingTime(long nowMs)
    {
        _timerScheduled = false;
        if (_part is null)
        {
            return;
        }

        if (nowMs - _partOpenedMs >= _rolloverMs)
        {
            ClosePart();
        }
        else
        {
            ScheduleRollTimer();
        }
    }

    /// <summary>Closes the open part's handle without finishing it.</summary>
    public void Dispose()
    {
        // Not closed: the in-progress file stays (a later run does not reuse its name: its counter is skipped).
        _part?.Dispose();
        _part = null;
    }

    private long Now => _processingTime?.Now ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private FileStream OpenPart()
    {
        var name = PartName(_nextCounter++);
        _partPath = Path.Combine(_directory, "." + name + InProgressSuffix);
        _part = new FileStream(_partPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _partOpenedMs = Now;
        ScheduleRollTimer();
        return _part;
    }

    private void ScheduleRollTimer()
    {
        if (_processingTime is not null && !_timerScheduled)
        {
            _timerScheduled = true;
            _processingTime.Schedule(_partOpenedMs + _rolloverMs, this);
        }
    }

    /// <summary>Flushes, fsyncs and closes the open part, if any, and hands its hidden name to the owner.</summary>
    public void ClosePart()
    {
        if (_part is null)
        {
            return;
        }

        _part.Flush(flushToDisk: true);
        _part.Dispose();
        _part = null;
        _onPartClosed(Path.GetFileName(_partPath));
    }

    /// <summary>
    /// Renames the closed part <paramref name="inProgressName"/> (in <see cref="PartDirectory"/>) to its final name and
    /// fsyncs the directory; false when it is not there because an earlier attempt already published it.
    /// </summary>
    public bool Publish(string inProgressName)
    {
        var hidden = Path.Combine(_directory, inProgressName);
        var finished = Path.Combine(_directory, FinalName(inProgressName));
        if (!File.Exists(hidden) && File.Exists(finished))
        {
            return false;
        }

        File.Move(hidden, finished, overwrite: false);
        SegmentFiles.FsyncDirectory(_directory);
        FinishedParts++;
        return true;
    }

    /// <summary><c>PREFIX-SUBTASK-COUNTER SUFFIX</c> of the hidden <c>.PREFIX-SUBTASK-COUNTER SUFFIX.inprogress</c>.</summary>
    public static string FinalName(string inProgressName) => inProgressName[1..^InProgressSuffix.Length];

    private string PartName(long counter) => string.Create(CultureInfo.InvariantCulture, $"{_options.PartPrefix}-{_subtask}-{counter}{_options.PartSuffix}");

    /// <summary>One more than the highest counter of this subtask's parts (finished or in progress) in the directory.</summary>
    private long NextCounterAfterExistingParts()
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{_options.PartPrefix}-{_subtask}-");
        var next = 0L;
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(path.AsSpan());
            if (name.StartsWith('.') && name.EndsWith(InProgressSuffix, StringComparison.Ordinal))
            {
                name = name[1..^InProgressSuffix.Length];
            }

            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(_options.PartSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var digits = name[prefix.Length..^_options.PartSuffix.Length];
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var counter) && counter >= next)
            {
                next = counter + 1;
            }
        }

        return next;
    }
}
