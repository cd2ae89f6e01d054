using System.Diagnostics;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// Watches output records for the first one of a set of sink partitions at or past an offset
/// (<see cref="FailoverMeasurement"/>): <see cref="Observe"/> runs on the output reader's thread, <see cref="Arm"/> and
/// <see cref="Wait"/> on the measuring thread.
/// </summary>
internal sealed class MovedTaskWatch
{
    private readonly object _lock = new();
    private long _fromOffset = long.MaxValue;
    private HashSet<int> _partitions = [];
    private long _firstTimestamp;

    /// <summary>Starts watching for a record of one of <paramref name="partitions"/> at offset <paramref name="fromOffset"/> or later.</summary>
    public void Arm(long fromOffset, HashSet<int> partitions)
    {
        lock (_lock)
        {
            _firstTimestamp = 0;
            _partitions = partitions;
            _fromOffset = fromOffset;
        }
    }

    public void Observe(long offset, long key, long receivedTimestamp)
    {
        lock (_lock)
        {
            if (_firstTimestamp == 0 && offset >= _fromOffset && _partitions.Contains(ScaleoutJob.SinkPartitionOf(key)))
            {
                _firstTimestamp = receivedTimestamp;
                _fromOffset = long.MaxValue;
            }
        }
    }

    /// <summary>The Stopwatch timestamp at which the watched record arrived.</summary>
    /// <exception cref="TimeoutException">None within <paramref name="timeout"/>, or <paramref name="failure"/> returned why.</exception>
    public long Wait(TimeSpan timeout, Func<string?> failure)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_lock)
            {
                if (_firstTimestamp != 0)
                {
                    return _firstTimestamp;
                }
            }

            if (failure() is { } why)
            {
                throw new TimeoutException($"No output of a moved task: {why}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"No output of a moved task within {timeout.TotalSeconds:0} s.");
            }

            Thread.Sleep(5);
        }
    }
}
