using System.Diagnostics;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// The live counters of one task (one subtask of a vertex, see <see cref="JobVertexDescription"/>): where its records
/// in, records out and watermark are read, and its time split the way Flink splits it. Idle time is the task thread
/// waiting for input (an input gate with nothing to take, a source reader with nothing to read); backpressured time is
/// the thread waiting for room in an output (a downstream gate's channel is full); busy time is the rest of the wall
/// time since the task started, up to when it ended.
/// <para>
/// The task thread reports each wait when it begins and ends (<see cref="BeginIdle"/>, <see cref="BeginBackpressure"/>,
/// <see cref="EndWait"/>) — once per wait, never per record, and only on paths where the thread is about to block
/// anyway. A wait in progress counts up to the moment of reading, so a task blocked for a long time shows as idle or
/// backpressured while it is, not only afterwards.
/// </para>
/// Thread-safety: written by the task thread, read by any thread; one lock, taken per wait and per read, keeps the
/// three times consistent, so each of them only grows between two reads.
/// </summary>
internal sealed class TaskMetricsCounter
{
    private readonly object _lock = new();
    private long _startedAt;
    private long _endedAt;
    private long _idleTicks;
    private long _backpressuredTicks;
    private long _waitingSince;
    private bool _waitIsIdle;

    public TaskMetricsCounter(int vertexId, string vertexName, int subtask)
    {
        VertexId = vertexId;
        VertexName = vertexName;
        Subtask = subtask;
    }

    /// <summary>The task's vertex (<see cref="JobVertexDescription.Id"/>).</summary>
    public int VertexId { get; }

    /// <summary>The vertex's name (<see cref="JobVertexDescription.Name"/>: its chain head's name).</summary>
    public string VertexName { get; }

    public int Subtask { get; }

    /// <summary>The counters of the chain's first operator behind the task's input gate; null for a source task (set before the task starts).</summary>
    public OperatorMetricsCounter? RecordsInCounter { get; set; }

    /// <summary>The counters whose watermark is the task's: the chain's first operator, or the source (set before the task starts).</summary>
    public OperatorMetricsCounter? WatermarkCounter { get; set; }

    /// <summary>The counters of the chain's exchange writers: the records they receive are the records the task sends (set before the task starts).</summary>
    public IReadOnlyList<OperatorMetricsCounter> OutputCounters { get; set; } = [];

    /// <summary>Batches queued in the task's input gate now; null for a source task (set before the task starts).</summary>
    public Func<int>? InputQueueLength { get; set; }

    /// <summary>The task thread started running the task (task thread).</summary>
    public void Started()
    {
        lock (_lock)
        {
            _startedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The task thread finished (task thread); the times stop growing.</summary>
    public void Ended()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            AddWait(now);
            _endedAt = now;
        }
    }

    /// <summary>The task thread is about to wait for input (task thread).</summary>
    public void BeginIdle() => BeginWait(idle: true);

    /// <summary>The task thread is about to wait for room in an output (task thread).</summary>
    public void BeginBackpressure() => BeginWait(idle: false);

    /// <summary>The wait begun last ended (task thread).</summary>
    public void EndWait()
    {
        lock (_lock)
        {
            AddWait(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Busy, idle and backpressured time so far (any thread); all zero before the task started.</summary>
    public (TimeSpan Busy, TimeSpan Idle, TimeSpan Backpressured) ReadTimes()
    {
        lock (_lock)
        {
            if (_startedAt == 0)
            {
                return (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            }

            var now = _endedAt != 0 ? _endedAt : Stopwatch.GetTimestamp();
            var idle = _idleTicks;
            var backpressured = _backpressuredTicks;
            if (_waitingSince != 0)
            {
                if (_waitIsIdle)
                {
                    idle += now - _waitingSince;
                }
                else
                {
                    backpressured += now - _waitingSince;
                }
            }

            var busy = Math.Max(0, now - _startedAt - idle - backpressured);
            return (Ticks(busy), Ticks(idle), Ticks(backpressured));
        }
    }

    /// <summary>The counters now, as the public record (any thread).</summary>
    public TaskMetrics Snapshot()
    {
        long recordsOut = 0;
        foreach (var output in OutputCounters)
        {
            recordsOut += Volatile.Read(ref output.RecordsIn);
        }

        var (busy, idle, backpressured) = ReadTimes();
        return new TaskMetrics(
            VertexId,
            Subtask,
            RecordsInCounter is { } recordsIn ? Volatile.Read(ref recordsIn.RecordsIn) : 0,
            recordsOut,
            WatermarkCounter is { } watermark ? Volatile.Read(ref watermark.Watermark) : long.MinValue,
            busy,
            idle,
            backpressured,
            InputQueueLength?.Invoke() ?? 0);
    }

    private void BeginWait(bool idle)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();

            // A wait inside a wait (a flush blocking while the thread was idle) ends the outer one: the thread now
            // waits for the new reason.
            AddWait(now);
            _waitingSince = now;
            _waitIsIdle = idle;
        }
    }

    /// <summary>Adds the wait in progress, if any, up to <paramref name="now"/> (under the lock).</summary>
    private void AddWait(long now)
    {
        if (_waitingSince == 0)
        {
            return;
        }

        if (_waitIsIdle)
        {
            _idleTicks += now - _waitingSince;
        }
        else
        {
            _backpressuredTicks += now - _waitingSince;
        }

        _waitingSince = 0;
    }

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromSeconds((double)stopwatchTicks / Stopwatch.Frequency);
}
