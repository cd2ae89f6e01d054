using System.Buffers.Binary;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Connectors.Collections;

/// <summary>
/// Produces <c>generator(index)</c> for this subtask's indexes <c>s, s + p, s + 2p, …</c> below the count (unbounded
/// when there is none), optionally limited to a share of a records-per-second rate (measured on the injected clock).
/// One split. Position (<see cref="SnapshotPosition"/>): the next index, as version byte 1 and a big-endian int64;
/// restored before <see cref="Open"/> by a subtask of the same parallelism (the index must be one of its own).
/// </summary>
internal sealed class GeneratorSourceReader<T> : SourceReader<T>
{
    private readonly Func<long, T> _generator;
    private readonly long _count;
    private readonly int _stride;
    private readonly double _recordsPerSecondPerSubtask;
    private readonly SourceReaderContext _context;
    private long _next;
    private long _startMs;
    private long _emitted;

    /// <param name="count">Total indexes over all subtasks; <see cref="long.MaxValue"/> for unbounded.</param>
    /// <param name="recordsPerSecond">Rate over all subtasks; 0 for unlimited.</param>
    public GeneratorSourceReader(Func<long, T> generator, long count, double recordsPerSecond, SourceReaderContext context)
    {
        _generator = generator;
        _count = count;
        _context = context;
        _next = context.SubtaskIndex;
        _stride = context.Parallelism;
        _recordsPerSecondPerSubtask = recordsPerSecond / context.Parallelism;
    }

    public override int SplitCount => 1;

    public override void Open() => _startMs = _context.CurrentProcessingTimeMs;

    public override bool SupportsPositions => true;

    public override byte[] SnapshotPosition()
    {
        var position = new byte[9];
        position[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(1), _next);
        return position;
    }

    public override void RestorePosition(byte[] position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Length != 9 || position[0] != 1)
        {
            throw new ArgumentException("Not a generator source position (9 bytes, version 1 expected).", nameof(position));
        }

        var next = BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(1));
        if (next < 0 || next % _stride != _next % _stride)
        {
            throw new ArgumentException($"Generator index {next} does not belong to this subtask (indexes {_next % _stride} modulo {_stride}); restore a generator at its checkpoint's parallelism.", nameof(position));
        }

        _next = next;
    }

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        var allowed = (long)maxRecords;
        if (_recordsPerSecondPerSubtask > 0)
        {
            var elapsedMs = _context.CurrentProcessingTimeMs - _startMs;
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
