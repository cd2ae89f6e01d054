using Freshet.Streaming.Logging;
using Freshet.Streaming.Metrics;
using Microsoft.Extensions.Logging;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Logs the outcome of each checkpoint of one run, and records the duration of each completed one in
/// <see cref="StreamingMetrics.CheckpointDuration"/> (and its longest alignment, synchronous and asynchronous phases in
/// the phase histograms): completed (Debug), slow (Warning: it took more than half the
/// checkpoint timeout, so the next slowdown may abort it) and aborted (Warning, with the reason: a task declined or the
/// timeout passed). Called by <see cref="CheckpointCommandExecutor"/> under its lock, once per checkpoint, never per
/// record. Immutable.
/// </summary>
internal sealed class CheckpointLog
{
    private readonly ILogger _logger;
    private readonly string _jobName;
    private readonly long _timeoutMs;
    private readonly Func<long> _nowMs;

    /// <param name="timeoutMs">The checkpoint timeout (ms); a checkpoint is slow past half of it.</param>
    /// <param name="nowMs">The coordinator's clock (ms), the one <see cref="PendingCheckpoint.TriggeredAtMs"/> is read on.</param>
    public CheckpointLog(ILogger logger, string jobName, long timeoutMs, Func<long> nowMs)
    {
        _logger = logger;
        _jobName = jobName;
        _timeoutMs = timeoutMs;
        _nowMs = nowMs;
    }

    /// <summary>Slow means longer than this many milliseconds from trigger to completion.</summary>
    public long SlowThresholdMs => _timeoutMs / 2;

    public void Completed(PendingCheckpoint checkpoint)
    {
        var durationMs = _nowMs() - checkpoint.TriggeredAtMs;
        var jobTag = new KeyValuePair<string, object?>(StreamingMetrics.JobNameTag, _jobName);
        StreamingMetrics.CheckpointDuration.Record(durationMs / 1000.0, jobTag);
        StreamingMetrics.CheckpointAlignmentDuration.Record(checkpoint.MaxAlignmentMs / 1000.0, jobTag);
        StreamingMetrics.CheckpointSyncDuration.Record(checkpoint.MaxSyncMs / 1000.0, jobTag);
        StreamingMetrics.CheckpointAsyncDuration.Record(checkpoint.MaxAsyncMs / 1000.0, jobTag);
        if (durationMs > SlowThresholdMs)
        {
            _logger.CheckpointSlow(_jobName, checkpoint.CheckpointId, durationMs, _timeoutMs, checkpoint.MaxSyncMs, checkpoint.MaxAsyncMs);
        }
        else
        {
            _logger.CheckpointCompleted(_jobName, checkpoint.CheckpointId, durationMs, checkpoint.StateBytes);
        }
    }

    public void Aborted(CheckpointCommand.Abort abort) =>
        _logger.CheckpointAborted(_jobName, abort.IsSavepoint ? "savepoint" : "checkpoint", abort.CheckpointId, abort.Reason);
}
