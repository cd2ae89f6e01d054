using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Connectors;

/// <summary>Reads an in-memory collection once, in order (one split; parallelism 1). Records have no source timestamp.</summary>
internal sealed class CollectionSourceReader<T> : SourceReader<T>
{
    private readonly IEnumerable<T> _items;
    private IEnumerator<T>? _enumerator;

    public CollectionSourceReader(IEnumerable<T> items)
    {
        _items = items;
    }

    public override int SplitCount => 1;

    public override void Open(ProcessingTimeService processingTime) => _enumerator = _items.GetEnumerator();

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
