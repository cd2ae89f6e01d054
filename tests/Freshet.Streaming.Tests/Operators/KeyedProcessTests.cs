using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Operators;

public sealed class KeyedProcessTests
{
    [Fact]
    public async Task Process_ValueState_KeptPerKey()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<string>();
        Ev[] input = [new("a", 1, 1), new("b", 2, 1), new("a", 3, 1), new("a", 4, 1), new("b", 5, 1)];
        env.FromCollection(input).KeyBy(e => e.Key).Process(new CountPerKey()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["a:1", "a:2", "a:3"], sink.Results.Where(s => s[0] == 'a'));
        Assert.Equal(["b:1", "b:2"], sink.Results.Where(s => s[0] == 'b'));
    }

    [Fact]
    public async Task Process_FunctionWithFieldsAtParallelism4_EachSubtaskHasItsOwnCopy()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 4 });
        var sink = new CollectingSink<string>();
        env.FromGenerator(i => new Ev("k" + (i % 50), i, 1), count: 20_000).KeyBy(e => e.Key).Process(new CountPerKey()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        var last = sink.Results.GroupBy(s => s.Split(':')[0]).Select(g => g.Max(s => int.Parse(s.Split(':')[1]))).ToArray();
        Assert.Equal(50, last.Length);
        Assert.All(last, count => Assert.Equal(400, count));
    }

    [Fact]
    public async Task Process_EventTimeTimers_DeduplicatedAndFiredInTimeOrder()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Value, long Timestamp)>();
        // Each record registers timers at time+10 and (a duplicate) time+10 again, and one at 100 for every key.
        Ev[] input = [new("a", 5, 0), new("b", 1, 0), new("a", 2, 0), new("b", 30, 0)];
        env.FromCollection(input, WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(5)).WithTimestampAssigner((e, _) => e.Time))
            .KeyBy(e => e.Key)
            .Process(new TimerRecorder())
            .SinkTo(new TimestampedSink(sink));
        await JobRunner.RunAsync(env);
        // Watermark after t=30 is 24: fires a@12, b@11, a@15 in time order; the final watermark fires b@40, then the two @100.
        var fired = sink.Results.Select(r => r.Value).ToArray();
        Assert.Equal(["b@11", "a@12", "a@15", "b@40"], fired[..4]);
        Assert.Equal(["a@100", "b@100"], fired[4..].Order());
        Assert.All(sink.Results, r => Assert.Equal(long.Parse(r.Value.Split('@')[1]), r.Timestamp));
    }

    [Fact]
    public async Task Process_ProcessingTimeTimer_FiresWhenClockReachesIt()
    {
        var clock = new ManualClock(1_000);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Clock = clock, BufferTimeout = TimeSpan.FromMilliseconds(2) });
        var sink = new CollectingSink<string>();
        env.FromGenerator(i => new Ev("k", i, i), count: null, recordsPerSecond: null)
            .Filter(e => e.Time == 0)
            .KeyBy(e => e.Key)
            .Process(new ProcessingTimeAlarm())
            .SinkTo(sink);
        var job = await env.ExecuteAsync();
        await JobRunner.WaitUntilAsync(() => sink.Results.Contains("registered"));
        await Task.Delay(50);
        Assert.Equal(["registered"], sink.Results);
        clock.NowMs = 1_500;
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 2);
        Assert.Equal(["registered", "alarm k at 1500 (ProcessingTime)"], sink.Results);
        await job.CancelAsync();
    }

    private sealed class CountPerKey : KeyedProcessFunction<string, Ev, string>
    {
        private ValueState<long>? _count;

        public override void Open(RuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<long>("count"));

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            _count!.Update(_count.Value + 1);
            output.Collect($"{context.CurrentKey}:{_count.Value}");
        }
    }

    private sealed class TimerRecorder : KeyedProcessFunction<string, Ev, string>
    {
        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            context.TimerService.RegisterEventTimeTimer(value.Time + 10);
            context.TimerService.RegisterEventTimeTimer(value.Time + 10);
            context.TimerService.RegisterEventTimeTimer(100);
        }

        public override void OnTimer(long timestamp, KeyedProcessContext<string> context, Collector<string> output)
        {
            Assert.Equal(TimeDomain.EventTime, context.TimeDomain);
            output.Collect($"{context.CurrentKey}@{timestamp}");
        }
    }

    private sealed class ProcessingTimeAlarm : KeyedProcessFunction<string, Ev, string>
    {
        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            context.TimerService.RegisterProcessingTimeTimer(context.TimerService.CurrentProcessingTime + 500);
            output.Collect("registered");
        }

        public override void OnTimer(long timestamp, KeyedProcessContext<string> context, Collector<string> output) =>
            output.Collect($"alarm {context.CurrentKey} at {timestamp} ({context.TimeDomain})");
    }

    /// <summary>Collects (value, event time) pairs.</summary>
    private sealed class TimestampedSink : Sink<string>
    {
        private readonly CollectingSink<(string, long)> _target;

        public TimestampedSink(CollectingSink<(string, long)> target)
        {
            _target = target;
        }

        public override SinkWriter<string> CreateWriter(SinkContext context) => new Writer(_target.CreateWriter(context));

        private sealed class Writer : SinkWriter<string>
        {
            private readonly SinkWriter<(string, long)> _inner;

            public Writer(SinkWriter<(string, long)> inner)
            {
                _inner = inner;
            }

            public override void Write(ReadOnlySpan<string> values, ReadOnlySpan<long> timestamps)
            {
                var pairs = new (string, long)[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    pairs[i] = (values[i], timestamps[i]);
                }

                _inner.Write(pairs, timestamps);
            }
        }
    }
}
