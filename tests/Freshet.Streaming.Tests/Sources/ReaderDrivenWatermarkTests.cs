using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Sources;

/// <summary>
/// <see cref="SourceOutput{T}"/> with <see cref="WatermarkStrategy.DrivenByReader{T}"/>: the reader sets each split's
/// watermark and idleness, the output's valve combines them after each poll, and records move no watermark.
/// </summary>
public sealed class ReaderDrivenWatermarkTests
{
    [Fact]
    public void Records_MoveNoWatermark_OnlyTheReadersSplitWatermarksDo()
    {
        var (_, output, head) = Create(splits: 1);
        output.Collect(1_000, 1_000, 0);
        output.EndPoll(0);
        Assert.Empty(head.Events);

        output.AdvanceSplitWatermark(0, 400);
        output.EndPoll(0);
        Assert.Equal(["wm 400"], head.Events);
        Assert.Equal([1_000], head.Records);
    }

    [Fact]
    public void AdvanceSplitWatermark_MinimumOverSplits_ASplitWithoutWatermarkHoldsBack()
    {
        var (_, output, head) = Create(splits: 2);
        output.AdvanceSplitWatermark(0, 500);
        output.EndPoll(0);
        Assert.Empty(head.Events);

        output.AdvanceSplitWatermark(1, 300);
        output.EndPoll(0);
        output.AdvanceSplitWatermark(1, 700);
        output.EndPoll(0);
        Assert.Equal(["wm 300", "wm 500"], head.Events);
    }

    [Fact]
    public void MarkSplitIdle_LeftOutOfTheMinimum_AllIdleEmitsTheLargestThenIdle_ActiveAgainCountsAgain()
    {
        var (_, output, head) = Create(splits: 2);
        output.AdvanceSplitWatermark(0, 100);
        output.MarkSplitIdle(1);
        output.EndPoll(0);
        output.AdvanceSplitWatermark(1, 50);
        output.MarkSplitIdle(1);
        output.AdvanceSplitWatermark(0, 200);
        output.MarkSplitIdle(0);
        output.EndPoll(0);
        output.EndPoll(0);
        Assert.Equal(["wm 100", "wm 200", "idle"], head.Events);

        output.MarkSplitActive(1);
        output.EndPoll(0);
        output.AdvanceSplitWatermark(1, 300);
        output.EndPoll(0);
        Assert.Equal(["wm 100", "wm 200", "idle", "wm 300"], head.Events);
    }

    [Fact]
    public void IdlenessTimeoutOfTheStrategy_DoesNotApply_TheReaderDecides()
    {
        var setup = Setup();
        var head = new RecordingHead(setup);
        var reader = new FixedReader(1);
        var strategy = WatermarkStrategy.DrivenByReader<long>().WithIdleness(TimeSpan.FromMilliseconds(10));
        var output = new SourceOutput<long>(head, 16, new OperatorMetricsCounter("source", 0, 1), strategy, reader, 0);
        output.EndPoll(1_000_000);
        Assert.Empty(head.Events);
    }

    [Fact]
    public void FinishSplit_NoLongerHoldsBack()
    {
        var (_, output, head) = Create(splits: 2);
        output.AdvanceSplitWatermark(0, 100);
        output.FinishSplit(1);
        output.EndPoll(0);
        Assert.Equal(["wm 100"], head.Events);
    }

    [Fact]
    public void SplitMethods_WithAStrategyThatDerivesWatermarks_ThrowNamingTheReader()
    {
        var head = new RecordingHead(Setup());
        var reader = new FixedReader(1);
        var output = new SourceOutput<long>(head, 16, new OperatorMetricsCounter("source", 0, 1), WatermarkStrategy.ForMonotonousTimestamps<long>(), reader, 0);
        var error = Assert.Throws<InvalidOperationException>(() => output.AdvanceSplitWatermark(0, 5));
        Assert.Contains("FixedReader sets split watermarks itself", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => output.MarkSplitIdle(0));
        Assert.Throws<InvalidOperationException>(() => output.MarkSplitActive(0));
    }

    [Fact]
    public void SplitMethods_SplitOutOfRange_Throw()
    {
        var (_, output, _) = Create(splits: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => output.AdvanceSplitWatermark(2, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => output.MarkSplitIdle(-1));
    }

    private static OperatorSetup Setup() => new() { Name = "head", SubtaskIndex = 0, Parallelism = 1, MaxParallelism = 128, BatchSize = 16, ProcessingTime = new ProcessingTimeService(new ManualClock(0)) };

    private static (FixedReader Reader, SourceOutput<long> Output, RecordingHead Head) Create(int splits)
    {
        var head = new RecordingHead(Setup());
        var reader = new FixedReader(splits);
        return (reader, new SourceOutput<long>(head, 16, new OperatorMetricsCounter("source", 0, 1), WatermarkStrategy.DrivenByReader<long>(), reader, 0), head);
    }

    /// <summary>A reader with a fixed split count; it is never polled.</summary>
    private sealed class FixedReader(int splits) : SourceReader<long>
    {
        public override int SplitCount => splits;

        public override SourcePoll Poll(SourceOutput<long> output, int maxRecords) => SourcePoll.NothingAvailable;
    }

    private sealed class RecordingHead(OperatorSetup setup) : Operator<long>(setup)
    {
        public List<string> Events { get; } = [];

        public List<long> Records { get; } = [];

        protected override void ProcessBatch(StreamBatch<long> batch) => Records.AddRange(batch.ValueSpan);

        protected override void OnWatermark(long watermark) => Events.Add($"wm {watermark}");

        protected override void OnIdle() => Events.Add("idle");

        protected override void OnFinish()
        {
        }
    }
}
