using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// A backend added as nothing but a <see cref="StateBackend"/> subclass (<see cref="RecordingStateBackend"/>, defined in
/// the tests) serves a job whose every keyed operator — a process function, a rolling reduce, tumbling windows,
/// session windows with a window function — creates its state through it, with the heap run's results.
/// </summary>
public sealed class ThirdBackendTests
{
    [Fact]
    public async Task Job_OnABackendDefinedOutsideTheEngine_EveryKeyedOperatorKeepsItsStateThere()
    {
        var recording = new RecordingStateBackend();
        var onHeap = await RunAsync(StateBackend.Heap);
        var onRecording = await RunAsync(recording);
        Assert.Equal(onHeap, onRecording);
        Assert.Equal(
            ["KeyedProcess/count", "Reduce/accumulators", "Window(Aggregate)/window-contents", "Window(Process)/window-contents"],
            recording.Created.Distinct().Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> RunAsync(StateBackend backend)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, StateBackend = backend });
        var sink = new CollectingSink<string>();
        var keyed = env.FromGenerator(i => new Ev("k" + (i % 7), i * 3, i), 2_000, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time))
            .SetParallelism(1)
            .KeyBy(e => e.Key);
        keyed.Process(new Count()).SinkTo(sink);
        keyed.Reduce((a, b) => a with { Value = a.Value + b.Value }).Map(e => $"reduce {e.Key} {e.Value}").SinkTo(sink);
        keyed.Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100))).Aggregate(new CountSum()).Map(r => $"tumbling {r.Key} {r.Count} {r.Sum}").SinkTo(sink);
        keyed.Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(30))).Process(new Sizes()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        return [.. sink.Results.Order(StringComparer.Ordinal)];
    }

    private sealed class Count : KeyedProcessFunction<string, Ev, string>
    {
        private ValueState<long>? _count;

        public override void Open(RuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<long>("count"));

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            _count!.Update(_count.Value + 1);
            output.Collect($"count {context.CurrentKey} {_count.Value}");
        }
    }

    private sealed class Sizes : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"session {key} {context.Window} {elements.Count}");
    }
}
