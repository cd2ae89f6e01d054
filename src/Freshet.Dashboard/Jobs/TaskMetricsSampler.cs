using System.Diagnostics.CodeAnalysis;
using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard.Jobs;

/// <summary>
/// Reads a job's cumulative task counters (<see cref="JobHandle.GetTaskMetrics"/>) once per interval and turns the
/// last two readings into per-second rates and time ratios (<see cref="JobMetricsResponse"/>), as Flink's web UI
/// shows them. Counters restart from zero with each attempt of the job: a counter lower than in the previous reading
/// is taken as counted from zero within the interval.
/// Thread-safety: the timer thread swaps in immutable readings under a lock; <see cref="Read"/> may be called from any thread.
/// </summary>
internal sealed class TaskMetricsSampler : IDisposable
{
    private readonly JobHandle _job;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private Reading? _previous;
    private Reading? _latest;

    /// <param name="interval">Time between readings; rates and ratios are over this interval (one second in the dashboards).</param>
    public TaskMetricsSampler(JobHandle job, TimeSpan interval, TimeProvider time)
    {
        _job = job;
        _time = time;
        TakeReading();
        _timer = time.CreateTimer(_ => TakeReading(), null, interval, interval);
    }

    /// <summary>The job's vertices and subtasks with rates over the interval between the two newest readings.</summary>
    public JobMetricsResponse Read(JobGraphDescription graph)
    {
        Reading? previous;
        Reading? latest;
        lock (_gate)
        {
            previous = _previous;
            latest = _latest;
        }

        if (latest is null)
        {
            TakeReading();
            lock (_gate)
            {
                previous = _previous;
                latest = _latest;
            }
        }

        var tasks = latest?.Tasks ?? [];
        var elapsed = previous is null || latest is null ? TimeSpan.Zero : _time.GetElapsedTime(previous.Timestamp, latest.Timestamp);
        var vertices = new List<VertexMetricsResponse>(graph.Vertices.Count);
        foreach (var vertex in graph.Vertices)
        {
            var subtasks = new List<SubtaskMetricsResponse>(vertex.Parallelism);
            foreach (var task in tasks)
            {
                if (task.VertexId == vertex.Id)
                {
                    subtasks.Add(Subtask(task, previous?.Find(task.VertexId, task.Subtask), elapsed));
                }
            }

            subtasks.Sort((a, b) => a.Subtask.CompareTo(b.Subtask));
            vertices.Add(Vertex(vertex, subtasks));
        }

        return new JobMetricsResponse(latest?.WallClock ?? _time.GetUtcNow(), (long)elapsed.TotalMilliseconds, vertices);
    }

    public void Dispose() => _timer.Dispose();

    private static SubtaskMetricsResponse Subtask(TaskMetrics now, TaskMetrics? before, TimeSpan elapsed)
    {
        double inRate = 0, outRate = 0, busy, idle, backpressured;
        if (before is null || elapsed <= TimeSpan.Zero)
        {
            // One reading only: the ratios since the attempt started.
            var total = (now.BusyTime + now.IdleTime + now.BackpressuredTime).TotalMilliseconds;
            busy = total > 0 ? now.BusyTime.TotalMilliseconds / total : 0;
            idle = total > 0 ? now.IdleTime.TotalMilliseconds / total : 0;
            backpressured = total > 0 ? now.BackpressuredTime.TotalMilliseconds / total : 0;
        }
        else
        {
            var seconds = elapsed.TotalSeconds;
            inRate = Delta(now.RecordsIn, before.RecordsIn) / seconds;
            outRate = Delta(now.RecordsOut, before.RecordsOut) / seconds;
            var busyMs = Delta(now.BusyTime, before.BusyTime);
            var idleMs = Delta(now.IdleTime, before.IdleTime);
            var backpressuredMs = Delta(now.BackpressuredTime, before.BackpressuredTime);
            // The three times split the task's time, but they are read a little apart from the clock: divide by the
            // larger of their sum and the wall time so that no ratio passes 1.
            var denominator = Math.Max(busyMs + idleMs + backpressuredMs, elapsed.TotalMilliseconds);
            busy = busyMs / denominator;
            idle = idleMs / denominator;
            backpressured = backpressuredMs / denominator;
        }

        return new SubtaskMetricsResponse(
            now.Subtask,
            now.RecordsIn,
            now.RecordsOut,
            Math.Round(inRate, 1),
            Math.Round(outRate, 1),
            Watermark(now.CurrentWatermark),
            Math.Round(busy, 3),
            Math.Round(idle, 3),
            Math.Round(backpressured, 3),
            BackpressureLevel.Classify(backpressured),
            now.InputQueueLength);
    }

    private static VertexMetricsResponse Vertex(JobVertexDescription vertex, List<SubtaskMetricsResponse> subtasks)
    {
        long recordsIn = 0, recordsOut = 0;
        double inRate = 0, outRate = 0, maxBusy = 0, maxBackpressured = 0;
        long? watermark = subtasks.Count == 0 ? null : long.MaxValue;
        var queued = 0;
        foreach (var subtask in subtasks)
        {
            recordsIn += subtask.RecordsIn;
            recordsOut += subtask.RecordsOut;
            inRate += subtask.RecordsInPerSecond;
            outRate += subtask.RecordsOutPerSecond;
            maxBusy = Math.Max(maxBusy, subtask.BusyRatio);
            maxBackpressured = Math.Max(maxBackpressured, subtask.BackpressuredRatio);
            queued += subtask.InputQueueLength;
            watermark = subtask.Watermark is { } w && watermark is { } v ? Math.Min(v, w) : null;
        }

        return new VertexMetricsResponse(vertex.Id, vertex.Name, vertex.Parallelism, recordsIn, recordsOut, Math.Round(inRate, 1), Math.Round(outRate, 1), watermark, maxBusy, maxBackpressured, BackpressureLevel.Classify(maxBackpressured), queued, subtasks);
    }

    private static long? Watermark(long watermark) => watermark == long.MinValue ? null : watermark;

    private static double Delta(long now, long before) => now >= before ? now - before : now;

    private static double Delta(TimeSpan now, TimeSpan before) => (now >= before ? now - before : now).TotalMilliseconds;

    [SuppressMessage("Design", "CA1031", Justification = "A reading that fails (the job is between attempts) is skipped; the next tick tries again.")]
    private void TakeReading()
    {
        try
        {
            var tasks = _job.GetTaskMetrics();
            var reading = new Reading(_time.GetTimestamp(), _time.GetUtcNow(), tasks);
            lock (_gate)
            {
                _previous = _latest;
                _latest = reading;
            }
        }
        catch (Exception)
        {
        }
    }

    /// <summary>One reading of every task's cumulative counters.</summary>
    /// <param name="Timestamp">The <see cref="TimeProvider.GetTimestamp"/> when it was taken, for intervals.</param>
    private sealed record Reading(long Timestamp, DateTimeOffset WallClock, IReadOnlyList<TaskMetrics> Tasks)
    {
        public TaskMetrics? Find(int vertexId, int subtask)
        {
            foreach (var task in Tasks)
            {
                if (task.VertexId == vertexId && task.Subtask == subtask)
                {
                    return task;
                }
            }

            return null;
        }
    }
}
