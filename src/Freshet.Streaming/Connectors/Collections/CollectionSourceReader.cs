using System.Buffers.Binary;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Connectors.Collections;

/// <summary>
/// Reads an in-memory collection once, in order (one split; parallelism 1). Records have no source timestamp.
/// Position (<see cref="SnapshotPosition"/>): the number of items emitted, as version byte 1 and a big-endian int64;
/// a restore (before <see cref="Open"/>) skips that many items of the same collection.
/// </summary>
internal sealed class CollectionSourceReader<T> : SourceReader<T>
{
    private readonly IEnumerable<T> _items;
    private IEnumerator<T>? _enumerator;
    private long _emitted;

    public CollectionSourceReader(IEnumerable<T> items)
    {
        _items = items;
    }

    public override int SplitCount => 1;

    public override void Open()
    {
        _enumerator = _items.GetEnumerator();
        for (var skipped = 0L; skipped < _emitted; skipped++)
        {
            if (!_enumerator.MoveNext())
            {
                throw new InvalidOperationException($"The restored position skips {_emitted} items but the collection has only {skipped}.");
            }
        }
    }

    public override bool SupportsPositions => true;

    public override byte[] SnapshotPosition()
    {
        var position = new byte[9];
        position[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(1), _emitted);
        return position;
    }

    public override void RestorePosition(byte[] position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Length != 9 || position[0] != 1)
        {
            throw new ArgumentException("Not a collection source position (9 bytes, version 1 expected).", nameof(position));
        }

        if (_enumerator is not null)
        {
            throw new InvalidOperationException("A collection source's position is restored before it is opened.");
        }

        var emitted = BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(1));
        ArgumentOutOfRangeException.ThrowIfNegative(emitted, nameof(position));
        _emitted = emitted;
    }

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        var enumerator = _enumerator!;
        for (var i = 0; i < maxRecords; i++)
        {
            if (!enumerator.MoveNext())
            {
                return SourcePoll.EndOfInput;
            }

            output.Collect(enumerator.Current, long.MinValue, 0);
            _emitted++;
        }

        return SourcePoll.MoreAvailable;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _enumerator?.Dispose();
        }

        base.Dispose(disposing);
    }
}
