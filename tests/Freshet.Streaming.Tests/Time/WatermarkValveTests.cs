using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Time;

public sealed class WatermarkValveTests
{
    [Fact]
    public void Emit_ActiveInputs_SendsTheMinimumOnlyWhenItAdvances()
    {
        var (valve, head) = Create(2);
        valve.SetWatermark(0, 10);
        valve.Emit(head);
        Assert.Empty(head.Events);

        valve.SetWatermark(1, 7);
        valve.Emit(head);
        valve.SetWatermark(1, 5);
        valve.Emit(head);
        valve.SetWatermark(1, 20);
        valve.Emit(head);
        Assert.Equal(["wm 7", "wm 10"], head.Events);
        Assert.Equal(10, valve.Watermark);
    }

    [Fact]
    public void Emit_IdleInput_IsLeftOutOfTheMinimum()
    {
        var (valve, head) = Create(2);
        valve.SetWatermark(0, 10);
        valve.MarkIdle(1);
        valve.Emit(head);
        Assert.Equal(["wm 10"], head.Events);
    }

    [Fact]
    public void Emit_EveryInputIdle_FlushesTheLargestWatermarkThenGoesIdleOnce()
    {
        var (valve, head) = Create(2);
        valve.SetWatermark(0, 10);
        valve.SetWatermark(1, 30);
        valve.Emit(head);
        valve.MarkIdle(0);
        valve.Emit(head);
        valve.MarkIdle(1);
        valve.Emit(head);
        valve.Emit(head);
        Assert.Equal(["wm 10", "wm 30", "idle"], head.Events);
    }

    [Fact]
    public void Emit_InputActiveAgainAfterIdle_GoesIdleAgainWhenItStops()
    {
        var (valve, head) = Create(1);
        valve.SetWatermark(0, 10);
        valve.MarkIdle(0);
        valve.Emit(head);
        valve.MarkActive(0);
        valve.Emit(head);
        valve.MarkIdle(0);
        valve.Emit(head);
        Assert.Equal(["wm 10", "idle", "idle"], head.Events);
    }

    [Fact]
    public void Emit_FinishedInput_NeverHoldsBackTheOthers()
    {
        var (valve, head) = Create(2);
        valve.SetWatermark(0, 5);
        valve.MarkFinished(0);
        valve.SetWatermark(1, 8);
        valve.Emit(head);
        valve.MarkIdle(1);
        valve.Emit(head);
        Assert.Equal(["wm 8", "idle"], head.Events);
    }

    [Fact]
    public void Emit_NoInputs_GoesIdleAtOnce()
    {
        var (valve, head) = Create(0);
        valve.Emit(head);
        valve.Emit(head);
        Assert.Equal(["idle"], head.Events);
    }

    [Fact]
    public void AddInputs_AfterTheValveWentIdle_NewInputHoldsBackThenGoesIdleAgain()
    {
        var (valve, head) = Create(0);
        valve.Emit(head);
        valve.AddInputs(2);
        valve.SetWatermark(0, 40);
        valve.Emit(head);
        valve.SetWatermark(1, 25);
        valve.Emit(head);
        valve.MarkIdle(0);
        valve.MarkIdle(1);
        valve.Emit(head);
        Assert.Equal(2, valve.InputCount);
        Assert.Equal(["idle", "wm 25", "wm 40", "idle"], head.Events);
    }

    [Fact]
    public void EmitFinal_SendsMaxValueOnce()
    {
        var (valve, head) = Create(1);
        valve.SetWatermark(0, 3);
        valve.Emit(head);
        valve.EmitFinal(head);
        valve.EmitFinal(head);
        Assert.Equal(["wm 3", $"wm {long.MaxValue}"], head.Events);
    }

    private static (WatermarkValve Valve, RecordingHead Head) Create(int inputs) =>
        (new WatermarkValve(inputs), new RecordingHead(new OperatorSetup { Name = "head", SubtaskIndex = 0, Parallelism = 1, MaxParallelism = 128, BatchSize = 16, ProcessingTime = new ProcessingTimeService(new ManualClock(0)) }));

    private sealed class RecordingHead(OperatorSetup setup) : Operator<int>(setup)
    {
        public List<string> Events { get; } = [];

        protected override void ProcessBatch(StreamBatch<int> batch)
        {
        }

        protected override void OnWatermark(long watermark) => Events.Add($"wm {watermark}");

        protected override void OnIdle() => Events.Add("idle");

        protected override void OnFinish()
        {
        }
    }
}
