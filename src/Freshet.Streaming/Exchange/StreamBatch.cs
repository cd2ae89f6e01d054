using System.Runtime.CompilerServices;

namespace Freshet.Streaming.Exchange;

/// <summary>
/// The unit in which records move: up to <see cref="Capacity"/> records as two parallel arrays (values and
/// event times in ms, <see cref="long.MinValue"/> = no timestamp), optionally followed by one control
/// element (the <see cref="Trailer"/>) that comes logically after the records.
/// <para>
/// Ownership: a batch has one owner at a time. Within a chain, an operator that receives a batch in
/// <see cref="Operators.Operator{T}.Process"/> may read it but must neither modify nor retain it after returning; the
/// sender reuses it. Between tasks, a batch handed to <see cref="InputGate{T}.Put"/> belongs to the receiver
/// until it returns it with <see cref="InputGate{T}.Recycle"/>. Not thread-safe.
/// </para>
/// </summary>
internal sealed class StreamBatch<T>
{
    /// <summary>Record values; only the first <see cref="Count"/> are meaningful.</summary>
    public readonly T[] Values;

    /// <summary>Event times in ms of <see cref="Values"/>, same indexes.</summary>
    public readonly long[] Timestamps;

    /// <summary>Number of records held.</summary>
    public int Count;

    /// <summary>The control element after the records, or <see cref="StreamElementKind.None"/>.</summary>
    public StreamElementKind Trailer;

    /// <summary>The trailer's value: a watermark in ms, or (later) a checkpoint id.</summary>
    public long TrailerValue;

    public StreamBatch(int capacity)
    {
        Values = new T[capacity];
        Timestamps = new long[capacity];
    }

    public int Capacity => Values.Length;

    public bool IsFull => Count == Values.Length;

    public ReadOnlySpan<T> ValueSpan => new(Values, 0, Count);

    public ReadOnlySpan<long> TimestampSpan => new(Timestamps, 0, Count);

    /// <summary>Appends a record; the caller has checked <see cref="IsFull"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T value, long timestamp)
    {
        var count = Count;
        Values[count] = value;
        Timestamps[count] = timestamp;
        Count = count + 1;
    }

    /// <summary>Empties the batch for reuse, dropping references so that recycled batches keep nothing alive.</summary>
    public void Reset()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(Values, 0, Count);
        }

        Count = 0;
        Trailer = StreamElementKind.None;
        TrailerValue = 0;
    }
}
