using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Metrics;

/// <summary>
/// One job reported by <see cref="StreamingMetrics"/>: turns its counters into measurements with their tags. The tag
/// arrays of the operator subtasks are built once per attempt (when the source's counter list changes) and reused by
/// every collection. Disposing removes the job from the registry: later collections no longer report it.
/// Thread-safe: the tag cache is swapped under <c>_lock</c>; counters are read with volatile reads.
/// </summary>
internal sealed class JobMetricsRegistration : IDisposable
{
    private readonly object _lock = new();
    private readonly IJobMetricsSource _job;
    private readonly ConcurrentDictionary<JobMetricsRegistration, byte> _registry;
    private readonly KeyValuePair<string, object?>[] _jobTags;
    private IReadOnlyList<OperatorMetricsCounter>? _taggedCounters;
    private KeyValuePair<string, object?>[][] _operatorTags = [];
    private IReadOnlyList<TaskMetricsCounter>? _taggedTasks;
    private KeyValuePair<string, object?>[][] _taskTags = [];

    public JobMetricsRegistration(IJobMetricsSource job, ConcurrentDictionary<JobMetricsRegistration, byte> registry)
    {
        _job = job;
        _registry = registry;
        _jobTags = [new(StreamingMetrics.JobNameTag, job.JobName)];
    }

    public void Dispose() => _registry.TryRemove(this, out _);

    public void ObserveRecordsIn(List<Measurement<long>> into)
    {
        var (counters, tags) = OperatorsWithTags();
        for (var i = 0; i < counters.Count; i++)
        {
            into.Add(new Measurement<long>(Volatile.Read(ref counters[i].RecordsIn), tags[i]));
        }
    }

    public void ObserveRecordsOut(List<Measurement<long>> into)
    {
        var (counters, tags) = OperatorsWithTags();
        for (var i = 0; i < counters.Count; i++)
        {
            into.Add(new Measurement<long>(Volatile.Read(ref counters[i].RecordsOut), tags[i]));
        }
    }

    /// <summary>Only operators that counted bytes (the connectors whose records are bytes) are reported.</summary>
    public void ObserveBytesIn(List<Measurement<long>> into)
    {
        var (counters, tags) = OperatorsWithTags();
        for (var i = 0; i < counters.Count; i++)
        {
            var bytes = Volatile.Read(ref counters[i].BytesIn);
            if (bytes != 0)
            {
                into.Add(new Measurement<long>(bytes, tags[i]));
            }
        }
    }

    /// <summary>Only operators that counted bytes (the connectors whose records are bytes) are reported.</summary>
    public void ObserveBytesOut(List<Measurement<long>> into)
    {
        var (counters, tags) = OperatorsWithTags();
        for (var i = 0; i < counters.Count; i++)
        {
            var bytes = Volatile.Read(ref counters[i].BytesOut);
            if (bytes != 0)
            {
                into.Add(new Measurement<long>(bytes, tags[i]));
            }
        }
    }

    public void ObserveWatermark(List<Measurement<long>> into)
    {
        var (counters, tags) = OperatorsWithTags();
        for (var i = 0; i < counters.Count; i++)
        {
            var watermark = Volatile.Read(ref counters[i].Watermark);
            if (IsEventTime(watermark))
            {
                into.Add(new Measurement<long>(watermark, tags[i]));
            }
        }
    }

    public void ObserveWatermarkLag(List<Measurement<double>> into)
    {
        var (counters, tags) = OperatorsWithTags();
        var nowMs = _job.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < counters.Count; i++)
        {
            var watermark = Volatile.Read(ref counters[i].Watermark);
            if (IsEventTime(watermark))
            {
                into.Add(new Measurement<double>((nowMs - watermark) / 1000.0, tags[i]));
            }
        }
    }

    public void ObserveCheckpointsCompleted(List<Measurement<long>> into) => into.Add(new(_job.CheckpointStatistics.Completed, _jobTags));

    public void ObserveCheckpointsFailed(List<Measurement<long>> into) => into.Add(new(_job.CheckpointStatistics.Failed, _jobTags));

    public void ObserveCheckpointSize(List<Measurement<long>> into)
    {
        var statistics = _job.CheckpointStatistics;
        if (statistics.LastCompletedId != 0)
        {
            into.Add(new(statistics.LastStateBytes, _jobTags));
        }
    }

    public void ObserveRestarts(List<Measurement<long>> into) => into.Add(new(_job.Restarts, _jobTags));

    public void ObserveBusyTime(List<Measurement<double>> into) => ObserveTaskTime(into, static times => times.Busy);

    public void ObserveIdleTime(List<Measurement<double>> into) => ObserveTaskTime(into, static times => times.Idle);

    public void ObserveBackpressuredTime(List<Measurement<double>> into) => ObserveTaskTime(into, static times => times.Backpressured);

    public void ObserveInputQueueLength(List<Measurement<long>> into)
    {
        var (tasks, tags) = TasksWithTags();
        for (var i = 0; i < tasks.Count; i++)
        {
            if (tasks[i].InputQueueLength is { } queued)
            {
                into.Add(new Measurement<long>(queued(), tags[i]));
            }
        }
    }

    /// <summary>One point per operator uid with state in the newest completed checkpoint, tagged with the operator's name when this attempt runs it.</summary>
    public void ObserveOperatorStateSize(List<Measurement<long>> into)
    {
        var bytesByOperator = _job.LatestStateBytesByOperator;
        if (bytesByOperator.Count == 0)
        {
            return;
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var counter in _job.OperatorCounters)
        {
            names.TryAdd(counter.Uid, counter.OperatorName);
        }

        foreach (var (uid, bytes) in bytesByOperator)
        {
            into.Add(new Measurement<long>(bytes, [
                new(StreamingMetrics.JobNameTag, _job.JobName),
                new(StreamingMetrics.OperatorNameTag, names.GetValueOrDefault(uid, uid)),
                new(StreamingMetrics.OperatorUidTag, uid),
            ]));
        }
    }

    private void ObserveTaskTime(List<Measurement<double>> into, Func<(TimeSpan Busy, TimeSpan Idle, TimeSpan Backpressured), TimeSpan> pick)
    {
        var (tasks, tags) = TasksWithTags();
        for (var i = 0; i < tasks.Count; i++)
        {
            into.Add(new Measurement<double>(pick(tasks[i].ReadTimes()).TotalSeconds, tags[i]));
        }
    }

    private (IReadOnlyList<TaskMetricsCounter> Tasks, KeyValuePair<string, object?>[][] Tags) TasksWithTags()
    {
        var tasks = _job.TaskCounters;
        lock (_lock)
        {
            if (!ReferenceEquals(tasks, _taggedTasks))
            {
                var tags = new KeyValuePair<string, object?>[tasks.Count][];
                for (var i = 0; i < tasks.Count; i++)
                {
                    tags[i] =
                    [
                        new(StreamingMetrics.JobNameTag, _job.JobName),
                        new(StreamingMetrics.TaskNameTag, tasks[i].VertexName),
                        new(StreamingMetrics.VertexIdTag, tasks[i].VertexId),
                        new(StreamingMetrics.SubtaskIndexTag, tasks[i].Subtask),
                    ];
                }

                _taskTags = tags;
                _taggedTasks = tasks;
            }

            return (tasks, _taskTags);
        }
    }

    /// <summary>
    /// Before the first watermark the counter holds <see cref="long.MinValue"/>; at the end of input the watermark is
    /// <see cref="long.MaxValue"/>. Neither is a point in event time.
    /// </summary>
    private static bool IsEventTime(long watermark) => watermark is not long.MinValue and not long.MaxValue;

    private (IReadOnlyList<OperatorMetricsCounter> Counters, KeyValuePair<string, object?>[][] Tags) OperatorsWithTags()
    {
        var counters = _job.OperatorCounters;
        lock (_lock)
        {
            if (!ReferenceEquals(counters, _taggedCounters))
            {
                var tags = new KeyValuePair<string, object?>[counters.Count][];
                for (var i = 0; i < counters.Count; i++)
                {
                    tags[i] =
                    [
                        new(StreamingMetrics.JobNameTag, _job.JobName),
                        new(StreamingMetrics.OperatorNameTag, counters[i].OperatorName),
                        new(StreamingMetrics.OperatorUidTag, counters[i].Uid),
                        new(StreamingMetrics.SubtaskIndexTag, counters[i].Subtask),
                    ];
                }

                _operatorTags = tags;
                _taggedCounters = counters;
            }

            return (counters, _operatorTags);
        }
    }
}
