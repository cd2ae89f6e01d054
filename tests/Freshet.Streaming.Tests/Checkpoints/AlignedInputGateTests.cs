using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class AlignedInputGateTests
{
    [Fact]
    public void TryTakeUnblocked_RecordsBehindBarrierOnBlockedChannel_NotTakenBeforeSnapshot()
    {
        var gate = new InputGate<string>(2, capacity: 4, batchSize: 4);
        Put(gate, 0, ["a1"], barrier: 1);
        Put(gate, 0, ["a2", "a3"]);
        Put(gate, 0, ["a4"]);
        Put(gate, 1, ["b1"]);
        Put(gate, 1, ["b2"]);
        Put(gate, 1, ["b3"], barrier: 1);
        Put(gate, 1, ["b4"]);

        var (processed, snapshot) = Receive(gate, new BarrierAligner(2, CheckpointingMode.ExactlyOnce), 8);

        Assert.Equal(new[] { "a1", "b1", "b2", "b3" }, snapshot!.Order(StringComparer.Ordinal));
        Assert.Equal(8, processed.Count);
    }

    [Fact]
    public void TryTakeUnblocked_AtLeastOnce_ReadsPastTheBarrier()
    {
        var gate = new InputGate<string>(2, capacity: 4, batchSize: 4);
        Put(gate, 0, ["a1"], barrier: 1);
        Put(gate, 0, ["a2"]);
        Put(gate, 1, ["b1"]);
        Put(gate, 1, ["b2"], barrier: 1);

        var (_, snapshot) = Receive(gate, new BarrierAligner(2, CheckpointingMode.AtLeastOnce), 4);

        // Round robin takes a2 before channel 1's barrier: in the snapshot although it is after channel 0's barrier.
        Assert.Contains("a2", snapshot!);
    }

    [Fact]
    public async Task TryTakeUnblocked_BlockedSenderBackpressured_ResumesAfterAlignment()
    {
        var gate = new InputGate<string>(2, capacity: 2, batchSize: 4);
        var fastSender = Task.Run(() =>
        {
            Put(gate, 0, ["f0"], barrier: 1);
            for (var i = 1; i <= 20; i++)
            {
                Put(gate, 0, ["f" + i]);
            }
        });
        var slowSender = Task.Run(async () =>
        {
            // The fast channel fills up and its sender blocks while the slow one has not delivered its barrier.
            await Task.Delay(200);
            Put(gate, 1, ["s0"], barrier: 1);
            Put(gate, 1, ["s1"]);
        });

        var (processed, snapshot) = await Task.Run(() => Receive(gate, new BarrierAligner(2, CheckpointingMode.ExactlyOnce), 23));
        await Task.WhenAll(fastSender, slowSender);

        Assert.Equal(new[] { "f0", "s0" }, snapshot!.Order(StringComparer.Ordinal));
        Assert.Equal(23, processed.Count);
        Assert.True(gate.MaxQueuedObserved <= 2);
    }

    private static void Put(InputGate<string> gate, int channel, string[] records, long barrier = 0)
    {
        var batch = gate.Rent(channel);
        foreach (var record in records)
        {
            batch.Add(record, 0);
        }

        if (barrier > 0)
        {
            batch.Trailer = StreamElementKind.Barrier;
            batch.TrailerValue = barrier;
        }

        gate.Put(channel, batch);
    }

    private static (List<string> Processed, string[]? Snapshot) Receive(InputGate<string> gate, BarrierAligner aligner, int expected)
    {
        var processed = new List<string>();
        string[]? snapshot = null;
        Func<int, bool> isBlocked = aligner.IsBlocked;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (processed.Count < expected && DateTime.UtcNow < deadline)
        {
            if (!gate.TryTakeUnblocked(10, isBlocked, out var channel, out var batch))
            {
                continue;
            }

            processed.AddRange(batch!.ValueSpan.ToArray());
            if (batch.Trailer == StreamElementKind.Barrier && aligner.OnBarrier(channel, batch.TrailerValue).ShouldSnapshot)
            {
                snapshot = processed.ToArray();
            }

            gate.Recycle(channel, batch);
        }

        return (processed, snapshot);
    }
}
