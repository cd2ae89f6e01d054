using Freshet.Streaming.Exchange;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Tests.Runtime;

public sealed class BackpressureTests
{
    [Fact]
    public async Task SlowSink_UnboundedSource_SourceSlowedAndInFlightBounded()
    {
        const int batch = 16;
        const int capacity = 2;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BatchSize = batch, ChannelCapacity = capacity });
        env.FromGenerator(i => i).Rebalance().SinkTo(new SlowSink(TimeSpan.FromMilliseconds(2)));
        var job = await env.ExecuteAsync();
        long maxInFlight = 0;
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(10);
            var metrics = job.GetMetrics();
            var sent = metrics.Single(m => m.OperatorName == "Generator Source").RecordsOut;
            var sunk = metrics.Single(m => m.OperatorName == "Sink").RecordsIn;
            maxInFlight = Math.Max(maxInFlight, sent - sunk);
        }

        var final = job.GetMetrics();
        await job.CancelAsync();

        // Between source and sink at most: the source's batch, the writer's pending batch, `capacity` queued
        // batches and the batch the sink task is working on (plus one batch of slack for the unsynchronised reads).
        Assert.InRange(maxInFlight, 0, (4 + capacity) * batch);

        // Unthrottled, the generator makes tens of millions per second; the sink takes ~8 records per ms.
        var produced = final.Single(m => m.OperatorName == "Generator Source").RecordsOut;
        Assert.InRange(produced, 1, 100_000);
    }

    [Fact]
    public async Task InputGate_FullChannel_BlocksSenderUntilReceiverTakes()
    {
        var gate = new InputGate<int>(channels: 2, capacity: 2, batchSize: 4);
        gate.Put(0, gate.Rent(0));
        gate.Put(0, gate.Rent(0));
        gate.Put(1, gate.Rent(1));
        var third = Task.Run(() => gate.Put(0, gate.Rent(0)));
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        Assert.True(gate.TryTake(100, out var channel, out var taken));
        Assert.Equal(0, channel);
        gate.Recycle(channel, taken!);
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, gate.MaxQueuedObserved);
    }

    [Fact]
    public async Task InputGate_Cancel_WakesBlockedSenderWithSignal()
    {
        var gate = new InputGate<int>(channels: 1, capacity: 1, batchSize: 4);
        gate.Put(0, gate.Rent(0));
        var blocked = Task.Run(() => gate.Put(0, gate.Rent(0)));
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        gate.Cancel();
        await Assert.ThrowsAsync<JobCancelledSignal>(() => blocked.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void InputGate_TwoChannels_OrderKeptPerChannel()
    {
        var gate = new InputGate<int>(channels: 2, capacity: 8, batchSize: 1);
        for (var i = 0; i < 5; i++)
        {
            foreach (var c in new[] { 0, 1 })
            {
                var b = gate.Rent(c);
                b.Add((c * 100) + i, i);
                gate.Put(c, b);
            }
        }

        var seen = new List<int>[] { [], [] };
        while (gate.TryTake(10, out var channel, out var batch))
        {
            seen[channel].Add(batch!.Values[0]);
            gate.Recycle(channel, batch);
        }

        Assert.Equal([0, 1, 2, 3, 4], seen[0]);
        Assert.Equal([100, 101, 102, 103, 104], seen[1]);
    }

    private sealed class SlowSink : Sink<long>
    {
        private readonly TimeSpan _delay;

        public SlowSink(TimeSpan delay)
        {
            _delay = delay;
        }

        public override SinkWriter<long> CreateWriter(SinkContext context) => new Writer(_delay);

        private sealed class Writer : SinkWriter<long>
        {
            private readonly TimeSpan _delay;

            public Writer(TimeSpan delay)
            {
                _delay = delay;
            }

            public override void Write(ReadOnlySpan<long> values, ReadOnlySpan<long> timestamps) => Thread.Sleep(_delay);
        }
    }
}
