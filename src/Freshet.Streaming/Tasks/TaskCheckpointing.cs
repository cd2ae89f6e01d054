using System.Collections.Concurrent;
using System.Diagnostics;
using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// A task's link to the job's checkpoint coordinator: writes the task's snapshots asynchronously and acknowledges or
/// declines them, and queues the coordinator's completion notices for the task thread. Thread-safety: notices are
/// queued from the coordinator's thread and taken on the task thread; <see cref="WriteAsync"/> is called on the task
/// thread and runs its work on the thread pool.
/// </summary>
internal sealed class TaskCheckpointing
{
    private readonly ConcurrentQueue<long> _completed = new();
    private readonly CheckpointCommandExecutor _executor;
    private readonly Action<CheckpointEvent> _report;
    private readonly Action<long> _notificationProcessed;

    /// <param name="report">Feeds an event to the coordinator; never throws (the job fails on a coordinator error).</param>
    /// <param name="notificationProcessed">Told on the task thread once the task handled a completion notice.</param>
    public TaskCheckpointing(CheckpointCommandExecutor executor, int taskIndex, CheckpointingMode mode, Action<CheckpointEvent> report, Action<long> notificationProcessed)
    {
        _executor = executor;
        TaskIndex = taskIndex;
        Mode = mode;
        _report = report;
        _notificationProcessed = notificationProcessed;
    }

    /// <summary>The task's index among all tasks of the job (the coordinator counts acknowledgements by it).</summary>
    public int TaskIndex { get; }

    public CheckpointingMode Mode { get; }

    /// <summary>Queues the notice that <paramref name="checkpointId"/> completed (any thread).</summary>
    public void EnqueueCompleted(long checkpointId) => _completed.Enqueue(checkpointId);

    /// <summary>Takes the next completion notice (task thread).</summary>
    public bool TryTakeCompleted(out long checkpointId) => _completed.TryDequeue(out checkpointId);

    public void NotificationProcessed(long checkpointId) => _notificationProcessed(checkpointId);

    public void Decline(long checkpointId, string reason) => _report(new CheckpointEvent.Declined(checkpointId, TaskIndex, reason));

    /// <summary>
    /// The asynchronous phase: serializes every snapshot on the thread pool, writes one state file per (uid, subtask)
    /// and acknowledges with the total size and both phases' durations; declines when anything fails. Does nothing
    /// when the checkpoint is no longer pending (aborted).
    /// </summary>
    /// <param name="alignmentMs">How long the task waited from the checkpoint's first to its last input barrier (0 for a source task).</param>
    public void WriteAsync(long checkpointId, List<(string Uid, int Subtask, Func<IReadOnlyList<(string Name, byte[] Bytes)>>? Serialize)> snapshots, long syncMs, long alignmentMs)
    {
        _ = Task.Run(() =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                // Every serialization runs, even for an aborted checkpoint: it also releases what the synchronous
                // phase held (a RocksDB snapshot).
                var files = new List<(string Uid, int Subtask, byte[] File)>(snapshots.Count);
                foreach (var (uid, subtask, serialize) in snapshots)
                {
                    files.Add((uid, subtask, OperatorStateSections.Encode(serialize?.Invoke() ?? [])));
                }

                if (!_executor.TryGetWriter(checkpointId, out var writer))
                {
                    return;
                }

                long bytes = 0;
                var bytesByOperator = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var (uid, subtask, file) in files)
                {
                    writer!.WriteState(uid, subtask, file);
                    bytes += file.Length;
                    bytesByOperator[uid] = bytesByOperator.GetValueOrDefault(uid) + file.Length;
                }

                _report(new CheckpointEvent.Acknowledged(checkpointId, TaskIndex, bytes, syncMs, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, alignmentMs, bytesByOperator));
            }
#pragma warning disable CA1031 // Any failure of the asynchronous phase declines the checkpoint; the job goes on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Decline(checkpointId, $"{e.GetType().Name}: {e.Message}");
            }
        });
    }
}
