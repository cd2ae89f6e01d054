namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// What a <see cref="BarrierAligner"/> tells its task after a barrier or the end of a channel.
/// <see cref="SnapshotCheckpointId"/>: every channel has delivered that checkpoint's barrier (or finished), so the
/// task snapshots its chain, forwards the barrier downstream and resumes reading all channels.
/// <see cref="AbandonedCheckpointId"/>: the alignment of that older checkpoint was given up because a newer barrier
/// arrived first; the task declines it to the coordinator. Either is 0 when not applicable (checkpoint ids start at 1).
/// </summary>
internal readonly record struct BarrierAlignment(long SnapshotCheckpointId, long AbandonedCheckpointId)
{
    /// <summary>Nothing to do yet.</summary>
    public static BarrierAlignment None => default;

    public bool ShouldSnapshot => SnapshotCheckpointId > 0;
}
