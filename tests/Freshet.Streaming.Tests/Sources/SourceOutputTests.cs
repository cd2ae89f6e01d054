using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Sources;

/// <summary>
/// <see cref="SourceOutput{T}"/> with a reader whose splits change: splits taken on while the job runs, splits
/// finished, and the errors a reader's mistakes get. Records are their own event times (monotonous, bound 0, so a
/// split's watermark is its largest record minus 1).
/// </summary>
public sealed class SourceOutputTests
{
    [Fact]
    public void SplitTakenOnWhileRunning_HoldsBackTheWatermarkUntilItDelivers()
    {
        var (reader, output, head) = Create(splits: 1);
        output.Collect(100, 0);
        output.EndPoll(0);

        reader.Splits = 2;
        output.Collect(200, 0);
        output.EndPoll(0);
        Assert.Equal(["wm 99"], head.Events);

        output.Collect(150, 1);
        output.EndPoll(0);
        Assert.Equal(["wm 99", "wm 149"], head.Events);
        Assert.Equal([100, 200, 150], head.Records);
    }

    [Fact]
    public void CollectOnASplitNumberTheReaderJustTookOn_GrowsTheOutputAtOnce()
    {
        var (reader, output, head) = Create(splits: 0);
        reader.Splits = 3;
        output.Collect(30, 2);
        output.Collect(10, 0);
        output.Collect(20, 1);
        output.EndPoll(0);
        Assert.Equal(["wm 9"], head.Events);
    }

    [Fact]
    public void FinishSplit_TheFinishedSplitNoLongerHoldsBackAndItsWatermarkCountsWhenAllAreDone()
    {
        var (_, output, head) = Create(splits: 2);
        output.Collect(10, 0);
        output.Collect(500, 1);
        output.EndPoll(0);
        output.FinishSplit(0);
        output.EndPoll(0);
        output.Collect(600, 1);
        output.FinishSplit(1);
        output.EndPoll(0);
        output.EndPoll(0);
        Assert.Equal(["wm 9", "wm 499", "wm 599", "idle"], head.Events);
    }

    [Fact]
    public void CollectOnASplitAboveSplitCount_ThrowsNamingTheReader()
    {
        var (_, output, _) = Create(splits: 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => output.Collect(1, 2));
        Assert.Contains("GrowingReader has 2 splits", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => output.Collect(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => output.FinishSplit(5));
    }

    [Fact]
    public void SplitCountShrinks_EndPollThrows()
    {
        var (reader, output, _) = Create(splits: 3);
        reader.Splits = 2;
        var error = Assert.Throws<InvalidOperationException>(() => output.EndPoll(0));
        Assert.Contains("SplitCount went from 3 to 2", error.Message, StringComparison.Ordinal);
    }

    private static (GrowingReader Reader, SourceOutput<long> Output, RecordingHead Head) Create(int splits)
    {
        var setup = new OperatorSetup { Name = "head", SubtaskIndex = 0, Parallelism = 1, MaxParallelism = 128, BatchSize = 16, ProcessingTime = new ProcessingTimeService(new ManualClock(0)) };
        var head = new RecordingHead(setup);
        var reader = new GrowingReader { Splits = splits };
        var strategy = WatermarkStrategy.ForMonotonousTimestamps<long>().WithTimestampAssigner((value, _) => value);
        return (reader, new SourceOutput<long>(head, 16, new OperatorMetricsCounter("source", 0, 1), strategy, reader, 0), head);
    }

    /// <summary>A reader whose split count the test sets; it is never polled.</summary>
    private sealed class GrowingReader : SourceReader<long>
    {
        public int Splits { get; set; }

        public override int SplitCount => Splits;

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
