using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class BarrierAlignerTests
{
    [Fact]
    public void OnBarrier_ExactlyOnce_BlocksEachChannelUntilAllDelivered()
    {
        var aligner = new BarrierAligner(3, CheckpointingMode.ExactlyOnce);

        Assert.False(aligner.OnBarrier(1, 1).ShouldSnapshot);
        Assert.True(aligner.IsBlocked(1));
        Assert.False(aligner.IsBlocked(0));
        Assert.False(aligner.IsBlocked(2));
        Assert.False(aligner.OnBarrier(0, 1).ShouldSnapshot);
        Assert.True(aligner.IsBlocked(0));

        var last = aligner.OnBarrier(2, 1);

        Assert.Equal(1, last.SnapshotCheckpointId);
        Assert.Equal(0, last.AbandonedCheckpointId);
        Assert.False(aligner.AnyBlocked);
        Assert.Equal(0, aligner.AligningCheckpointId);
    }

    [Fact]
    public void OnBarrier_SingleChannel_SnapshotsAtOnce()
    {
        var aligner = new BarrierAligner(1, CheckpointingMode.ExactlyOnce);
        Assert.Equal(5, aligner.OnBarrier(0, 5).SnapshotCheckpointId);
        Assert.False(aligner.IsBlocked(0));
    }

    [Fact]
    public void OnBarrier_AtLeastOnce_NeverBlocksAndSnapshotsOnLastBarrier()
    {
        var aligner = new BarrierAligner(2, CheckpointingMode.AtLeastOnce);
        Assert.False(aligner.OnBarrier(0, 1).ShouldSnapshot);
        Assert.False(aligner.IsBlocked(0));
        Assert.False(aligner.AnyBlocked);
        Assert.Equal(1, aligner.OnBarrier(1, 1).SnapshotCheckpointId);
    }

    [Fact]
    public void OnChannelFinished_CountsAsAligned()
    {
        var aligner = new BarrierAligner(3, CheckpointingMode.ExactlyOnce);
        aligner.OnChannelFinished(2);
        Assert.False(aligner.OnBarrier(0, 1).ShouldSnapshot);

        // The last open channel ends instead of delivering its barrier: the alignment completes.
        Assert.Equal(1, aligner.OnChannelFinished(1).SnapshotCheckpointId);

        // Later checkpoints only wait for the one open channel.
        Assert.Equal(2, aligner.OnBarrier(0, 2).SnapshotCheckpointId);
    }

    [Fact]
    public void OnChannelFinished_AfterItsBarrier_NotCountedTwice()
    {
        var aligner = new BarrierAligner(3, CheckpointingMode.ExactlyOnce);
        aligner.OnBarrier(0, 1);
        Assert.False(aligner.OnChannelFinished(0).ShouldSnapshot);
        Assert.False(aligner.OnBarrier(1, 1).ShouldSnapshot);
        Assert.Equal(1, aligner.OnBarrier(2, 1).SnapshotCheckpointId);
    }

    [Fact]
    public void OnBarrier_NewerBeforeOlderAligned_AbandonsOlderAndIgnoresItsLateBarriers()
    {
        var aligner = new BarrierAligner(2, CheckpointingMode.AtLeastOnce);
        aligner.OnBarrier(0, 1);
        var newer = aligner.OnBarrier(0, 2);
        Assert.Equal(1, newer.AbandonedCheckpointId);
        Assert.False(newer.ShouldSnapshot);

        Assert.Equal(BarrierAlignment.None, aligner.OnBarrier(1, 1));
        Assert.Equal(2, aligner.OnBarrier(1, 2).SnapshotCheckpointId);
    }

    [Fact]
    public void Abort_UnblocksAndIgnoresLaterBarriersOfThatCheckpoint()
    {
        var aligner = new BarrierAligner(2, CheckpointingMode.ExactlyOnce);
        aligner.OnBarrier(0, 1);
        aligner.Abort(1);
        Assert.False(aligner.IsBlocked(0));
        Assert.Equal(BarrierAlignment.None, aligner.OnBarrier(1, 1));

        aligner.Abort(2);
        Assert.Equal(BarrierAlignment.None, aligner.OnBarrier(0, 2));
        Assert.False(aligner.OnBarrier(0, 3).ShouldSnapshot);
        Assert.Equal(3, aligner.OnBarrier(1, 3).SnapshotCheckpointId);
    }

    [Fact]
    public void OnBarrier_DuplicateOrAfterEnd_Throws()
    {
        var aligner = new BarrierAligner(2, CheckpointingMode.ExactlyOnce);
        aligner.OnBarrier(0, 1);
        Assert.Throws<InvalidOperationException>(() => aligner.OnBarrier(0, 1));
        aligner.OnChannelFinished(1);
        Assert.Throws<InvalidOperationException>(() => aligner.OnBarrier(1, 2));
    }

    [Fact]
    public void ExactlyOnce_RecordsBehindBarrierOnBlockedChannel_NotProcessedBeforeSnapshot()
    {
        // A reader that honours IsBlocked: channel 0 delivers its barrier early, then more records; channel 1 is slow.
        var channels = new[]
        {
            new Queue<object>(["a1", 1L, "a2", "a3"]),
            new Queue<object>(["b1", "b2", "b3", 1L, "b4"]),
        };
        var aligner = new BarrierAligner(2, CheckpointingMode.ExactlyOnce);
        var processed = new List<string>();
        string[]? snapshot = null;
        var round = 0;
        while (channels.Any(c => c.Count > 0))
        {
            var channel = round++ % 2;
            if (aligner.IsBlocked(channel) || channels[channel].Count == 0)
            {
                continue;
            }

            switch (channels[channel].Dequeue())
            {
                case string record:
                    processed.Add(record);
                    break;
                case long barrier when aligner.OnBarrier(channel, barrier).ShouldSnapshot:
                    snapshot = processed.ToArray();
                    break;
            }
        }

        Assert.Equal(new[] { "a1", "b1", "b2", "b3" }, snapshot);
        Assert.Equal(7, processed.Count);
    }
}
