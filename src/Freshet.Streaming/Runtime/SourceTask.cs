using Freshet.Streaming.Jobs;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Runtime;

/// <summary>
/// A task whose chain starts at a source: polls the reader in batches, emits watermarks after each poll, and on
/// end of input emits the final watermark and finishes the chain. When the reader has nothing, the task sleeps
/// briefly (1 ms) so an unbounded, quiet source costs little CPU.
/// </summary>
internal sealed class SourceTask<T> : StreamTask
{
    private readonly SourceReader<T> _reader;
    private readonly Operator<T> _head;
    private readonly OperatorMetricsCounter _metrics;
    private readonly WatermarkStrategy<T> _strategy;
    private readonly int _batchSize;
    private readonly string _sourceName;
    private readonly int _subtask;
    private readonly int _parallelism;

    public SourceTask(
        string name,
        SourceReader<T> reader,
        Operator<T> head,
        OperatorMetricsCounter sourceMetrics,
        WatermarkStrategy<T> strategy,
        int batchSize,
        IReadOnlyList<OperatorBase> operators,
        ProcessingTimeService processingTime,
        TimeSpan bufferTimeout)
        : base(name, operators, processingTime, bufferTimeout)
    {
        _reader = reader;
        _head = head;
        _metrics = sourceMetrics;
        _strategy = strategy;
        _batchSize = batchSize;
        _sourceName = sourceMetrics.OperatorName;
        _subtask = sourceMetrics.Subtask;
        _parallelism = sourceMetrics.Parallelism;
    }

    protected override void RunLoop()
    {
        try
        {
            try
            {
                _reader.Open(ProcessingTime);
            }
            catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
            {
                throw ReaderFailure(e);
            }

            var output = new SourceOutput<T>(_head, _batchSize, _metrics, _strategy, _reader.SplitCount, ProcessingTime.Now);
            while (!IsCancelled)
            {
                SourcePoll poll;
                try
                {
                    poll = _reader.Poll(output, _batchSize);
                }
                catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
                {
                    // Exceptions from the chain are already named; this one came from the reader itself.
                    throw ReaderFailure(e);
                }

                output.EndPoll(ProcessingTime.Now);
                _metrics.Watermark = output.Watermark;
                if (poll == SourcePoll.EndOfInput)
                {
                    output.EmitFinalWatermark();
                    _metrics.Watermark = long.MaxValue;
                    _head.Finish();
                    return;
                }

                Housekeeping();
                if (poll == SourcePoll.NothingAvailable)
                {
                    Thread.Sleep(1);
                }
            }
        }
        finally
        {
            _reader.Dispose();
        }
    }

    private JobExecutionException ReaderFailure(Exception e) => new(_sourceName, _subtask, _parallelism, e);
}
