using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>Drives a <see cref="SourceReader{T}"/> outside a job, as a source task does, and keeps what it emits.</summary>
internal sealed class ReaderDriver<T>
{
    private readonly SourceReader<T> _reader;
    private readonly Head _head;
    private readonly SourceOutput<T> _output;
    private readonly ProcessingTimeService _time = new(TimeProvider.System);

    /// <param name="restorePosition">A position from <see cref="SourceReader{T}.SnapshotPosition"/> restored before the reader opens, as a restoring source task does.</param>
    public ReaderDriver(SourceReader<T> reader, byte[]? restorePosition = null)
    {
        _reader = reader;
        var setup = new OperatorSetup
        {
            Name = "head",
            SubtaskIndex = 0,
            Parallelism = 1,
            MaxParallelism = 128,
            BatchSize = 16,
            ProcessingTime = _time,
        };
        _head = new Head(setup);
        if (restorePosition is not null)
        {
            _reader.RestorePosition(restorePosition);
        }

        _reader.Open();
        _output = new SourceOutput<T>(_head, 16, new OperatorMetricsCounter("source", 0, 1), WatermarkStrategy.NoWatermarks<T>(), reader, _time.Now);
    }

    public List<T> Records => _head.Records;

    public SourceReader<T> Reader => _reader;

    /// <summary>A reader context for subtask <paramref name="subtask"/> of <paramref name="parallelism"/> on the system clock.</summary>
    public static SourceReaderContext Context(int subtask = 0, int parallelism = 1, bool checkpointing = false) =>
        new(subtask, parallelism, checkpointing, new ProcessingTimeService(TimeProvider.System));

    /// <summary>Polls until at least <paramref name="count"/> records arrived (or the reader ended); returns the poll outcome.</summary>
    public SourcePoll PollUntil(int count, int maxRecordsPerPoll = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var result = SourcePoll.MoreAvailable;
        while (_head.Records.Count < count)
        {
            result = _reader.Poll(_output, maxRecordsPerPoll);
            _output.EndPoll(_time.Now);
            if (result == SourcePoll.EndOfInput)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {_head.Records.Count} of {count} records arrived.");
            }

            if (result == SourcePoll.NothingAvailable)
            {
                Thread.Sleep(5);
            }
        }

        return result;
    }

    /// <summary>Polls to the end of a bounded reader.</summary>
    public void PollToEnd() => PollUntil(int.MaxValue, 64);

    private sealed class Head : Operator<T>
    {
        public Head(OperatorSetup setup)
            : base(setup)
        {
        }

        public List<T> Records { get; } = [];

        protected override void ProcessBatch(StreamBatch<T> batch) => Records.AddRange(batch.ValueSpan);

        protected override void OnWatermark(long watermark)
        {
        }

        protected override void OnIdle()
        {
        }

        protected override void OnFinish()
        {
        }
    }
}
