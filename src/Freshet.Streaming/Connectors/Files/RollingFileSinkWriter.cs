using System.Globalization;
using System.Text;
using Freshet.Log.Segments;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// One subtask of <see cref="RollingFileSink{T}"/>: at most one open in-progress part file; rolls by size after a
/// record, by age after a batch or on a processing-time timer. A closed part is published by
/// <see cref="OnPartClosed"/>: here at once (at-least-once); <see cref="TransactionalRollingFileSinkWriter{T}"/> waits
/// for a checkpoint. Task thread only (timers fire on the task thread).
/// </summary>
internal class RollingFileSinkWriter<T> : SinkWriter<T>, IProcessingTimeCallback
{
    protected const string InProgressSuffix = ".inprogress";

    private readonly string _directory;
    private readonly Func<T, string> _format;
    private readonly RollingFileSinkOptions _options;
    private readonly int _subtask;
    private readonly ProcessingTimeService? _processingTime;
    private readonly long _rolloverMs;
    private readonly byte[] _newline = "\n"u8.ToArray();
    private byte[] _encoded = new byte[256];
    private FileStream? _part;
    private string _partPath = string.Empty;
    private long _partOpenedMs;
    private long _nextCounter;
    private bool _timerScheduled;

    public RollingFileSinkWriter(string directory, Func<T, string> format, RollingFileSinkOptions options, SinkContext context)
    {
        _directory = directory;
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
    protected string PartDirectory => _directory;

    protected RollingFileSinkOptions Options => _options;

    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
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

    public override void Flush(bool endOfInput)
    {
        if (endOfInput)
        {
            ClosePart();
        }
        else
        {
            _part?.Flush(flushToDisk: true);
        }
    }

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Not closed: the in-progress file stays (a later run does not reuse its name: its counter is skipped).
            _part?.Dispose();
            _part = null;
        }

        base.Dispose(disposing);
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

    /// <summary>Flushes, fsyncs and closes the open part, if any, and hands it to <see cref="OnPartClosed"/>.</summary>
    protected void ClosePart()
    {
        if (_part is null)
        {
            return;
        }

        _part.Flush(flushToDisk: true);
        _part.Dispose();
        _part = null;
        OnPartClosed(_partPath);
    }

    /// <summary>A part was closed (complete and durable under its hidden in-progress name); by default it is published at once.</summary>
    protected virtual void OnPartClosed(string inProgressPath) => Publish(Path.GetFileName(inProgressPath));

    /// <summary>
    /// Renames the closed part <paramref name="inProgressName"/> (in <see cref="PartDirectory"/>) to its final name and
    /// fsyncs the directory; false when it is not there because an earlier attempt already published it.
    /// </summary>
    protected bool Publish(string inProgressName)
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
    protected static string FinalName(string inProgressName) => inProgressName[1..^InProgressSuffix.Length];

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
