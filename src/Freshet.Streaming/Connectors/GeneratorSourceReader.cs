using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Connectors;

/// <summary>
/// Produces <c>generator(index)</c> for this subtask's indexes <c>s, s + p, s + 2p, …</c> below the count (unbounded
/// when there is none), optionally limited to a share of a records-per-second rate (measured on the injected clock).
/// One split. Position for checkpoints (issue 5): the next index.
/// </summary>
internal sealed class GeneratorSourceReader<T> : SourceReader<T>
{
    private readonly Func<long, T> _generator;
    private readonly long _count;
    private readonly int _stride;
    private readonly double _recordsPerSecondPerSubtask;
    private ProcessingTimeService? _clock;
    private long _next;
    private long _startMs;
    private long _emitted;

    /// <param name="count">Total indexes over all subtasks; <see cref="long.MaxValue"/> for unbounded.</param>
    /// <param name="recordsPerSecond">Rate over all subtasks; 0 for unlimited.</param>
    public GeneratorSourceReader(Func<long, T> generator, long count, double recordsPerSecond, int subtask, int parallelism)
    {
        _generator = generator;
        _count = count;
        _next = subtask;
        _stride = parallelism;
        _recordsPerSecondPerSubtask = recordsPerSecond / parallelism;
    }

    public override int SplitCount => 1;

    public override void Open(ProcessingTimeService processingTime)
    {
        _clock = processingTime;
        _startMs = processingTime.Now;
    }

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        var allowed = (long)maxRecords;
        if (_recordsPerSecondPerSubtask > 0)
        {
            var elapsedMs = _clock!.Now - _startMs;
            allowed = Math.Min(allowed, (long)(elapsedMs * _recordsPerSecondPerSubtask / 1000.0) + 1 - _emitted);
            if (allowed <= 0)
            {
                return _next >= _count ? SourcePoll.EndOfInput : SourcePoll.NothingAvailable;
            }
        }

        var next = _next;
        for (var i = 0; i < allowed && next < _count; i++)
        {
            output.Collect(_generator(next), long.MinValue, 0);
            next += _stride;
        }

        _emitted += (next - _next) / _stride;
        _next = next;
        return next >= _count ? SourcePoll.EndOfInput : SourcePoll.MoreAvailable;
    }
}
