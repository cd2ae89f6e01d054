namespace Freshet.Streaming.Windows;

/// <summary>Session windows whose gap comes from each record (Flink's <c>DynamicEventTimeSessionWindows</c>).</summary>
internal sealed class DynamicEventTimeSessionWindows<TRecord> : EventTimeSessionWindows
{
    private readonly Func<TRecord, TimeSpan> _gapExtractor;

    public DynamicEventTimeSessionWindows(Func<TRecord, TimeSpan> gapExtractor)
        : base(0)
    {
        _gapExtractor = gapExtractor;
    }

    internal override long GapOf<T>(T element)
    {
        if (element is not TRecord record)
        {
            throw new InvalidOperationException($"The session gap extractor takes {typeof(TRecord).Name} but the stream carries {typeof(T).Name}.");
        }

        var gapMs = (long)_gapExtractor(record).TotalMilliseconds;
        if (gapMs <= 0)
        {
            throw new InvalidOperationException($"The session gap extractor returned {gapMs} ms for a record; a gap must be at least 1 ms.");
        }

        return gapMs;
    }
}
