using System.Buffers;

namespace Freshet.Log.Records;

/// <summary>
/// Validates the records section of a compressed batch while a codec decompresses it, so that the
/// decompressed payload is never held whole: the codec writes into <see cref="GetSpan"/> and calls
/// <see cref="Advance"/>; every record that is complete in the window is checked at once (as
/// <see cref="RecordBatchValidator"/> checks uncompressed records) and dropped from the window.
/// <para>
/// Bound: the decompressed size may not pass <c>maxBytes</c> (the topic's <c>max.message.bytes</c> less
/// the batch header). Validation stops with <see cref="LogErrorCode.MessageTooLarge"/> as soon as the bytes
/// received, or the length a record declares, would pass it, and <see cref="GetSpan"/> never offers the
/// codec more than one byte beyond it, so the rest of a decompression bomb is never inflated. The window
/// holds at most one record plus one read's worth of bytes, so it never grows past about
/// <c>maxBytes</c> + <see cref="MinimumReadBytes"/> whatever the compressed data claims; windows up to
/// <see cref="PooledWindowBytes"/> come from <see cref="ArrayPool{T}.Shared"/>, larger ones (a batch holding one
/// record of many megabytes) are plain arrays that the GC reclaims, so a spike is not kept rented.
/// </para>
/// Not thread-safe: one batch, one thread. Dispose returns the window.
/// </summary>
internal sealed class RecordStreamValidator : IDisposable
{
    /// <summary>Free space offered to a streaming codec per read, in bytes.</summary>
    internal const int MinimumReadBytes = 16 * 1024;

    /// <summary>Windows up to this size are rented from the shared pool; larger ones are allocated and dropped.</summary>
    internal const int PooledWindowBytes = 1024 * 1024;

    private const int InitialWindowBytes = 64 * 1024;

    // The longest varint: a length prefix that is still incomplete with this many bytes is malformed.
    private const int MaxVarintBytes = 5;

    private readonly int _expectedCount;
    private readonly long _maxBytes;
    private byte[] _window;

    // Unchecked bytes are _window[_start.._end); everything before _start has been validated.
    private int _start;
    private int _end;
    private long _received;
    private int _index;
    private LogErrorCode _code;
    private string? _error;

    /// <summary>Creates a validator for <paramref name="expectedCount"/> records of at most <paramref name="maxBytes"/> decompressed bytes in all.</summary>
    public RecordStreamValidator(int expectedCount, long maxBytes)
    {
        _expectedCount = expectedCount;
        _maxBytes = Math.Max(0, maxBytes);
        _window = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(_maxBytes + 1, MaxVarintBytes, InitialWindowBytes));
    }

    /// <summary>Whether a problem has been found; the codec should stop feeding bytes.</summary>
    public bool Failed => _code != LogErrorCode.None;

    /// <summary>Decompressed bytes received so far.</summary>
    public long ReceivedBytes => _received;

    /// <summary>The most decompressed bytes accepted.</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>
    /// Space for the codec's next output: at least <paramref name="sizeHint"/> bytes (at least one), and never
    /// more than one byte past the size limit. Empty, with the validator failed, when <paramref name="sizeHint"/>
    /// bytes would pass the limit (a snappy block declaring its size up front).
    /// </summary>
    public Span<byte> GetSpan(int sizeHint = 1)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (Failed)
        {
            return [];
        }

        if (_received + sizeHint > _maxBytes + 1)
        {
            FailTooLarge(_received + sizeHint);
            return [];
        }

        EnsureFree(Math.Max(sizeHint, MinimumReadBytes));
        var allowed = _maxBytes + 1 - _received;
        return _window.AsSpan(_end, (int)Math.Min(_window.Length - _end, Math.Max(allowed, sizeHint)));
    }

    /// <summary>Accepts <paramref name="count"/> bytes written into the last <see cref="GetSpan"/> and checks every record now complete.</summary>
    /// <returns>False when a problem was found: stop decompressing.</returns>
    public bool Advance(int count)
    {
        _end += count;
        _received += count;
        if (_received > _maxBytes)
        {
            FailTooLarge(_received);
            return false;
        }

        CheckCompleteRecords();
        return !Failed;
    }

    /// <summary>Ends validation once the codec has no more output.</summary>
    /// <returns><see cref="LogErrorCode.None"/>, or the error describing the first problem.</returns>
    public LogErrorCode Complete(out string? error)
    {
        if (!Failed)
        {
            if (_start != _end)
            {
                Fail(LogErrorCode.CorruptMessage, $"Record {_index} is truncated: the records section ends {_end - _start} bytes into it.");
            }
            else if (_index != _expectedCount)
            {
                Fail(LogErrorCode.CorruptMessage, $"The batch declares {_expectedCount} records but its records section holds {_index}.");
            }
        }

        error = _error;
        return _code;
    }

    /// <summary>Returns the window to the pool.</summary>
    public void Dispose()
    {
        ReturnWindow(_window);
        _window = [];
    }

    private void CheckCompleteRecords()
    {
        var unused = default(RecordBatchHeader);
        while (_start < _end)
        {
            var available = _window.AsSpan(_start, _end - _start);
            if (_index >= _expectedCount)
            {
                Fail(LogErrorCode.CorruptMessage, $"Bytes follow the last of {_expectedCount} records.");
                return;
            }

            if (!Varint.TryReadVarint(available, out var length, out var prefix))
            {
                if (available.Length >= MaxVarintBytes)
                {
                    Fail(LogErrorCode.CorruptMessage, $"Record {_index} has a malformed length.");
                }

                return;
            }

            if (length < 0)
            {
                Fail(LogErrorCode.CorruptMessage, $"Record {_index} declares {length} bytes.");
                return;
            }

            var recordBytes = prefix + (long)length;
            var recordStart = _received - available.Length;
            if (recordStart + recordBytes > _maxBytes)
            {
                FailTooLarge(recordStart + recordBytes);
                return;
            }

            if (recordBytes > available.Length)
            {
                // Make room for the whole record now (bounded by the limit just checked), so reads fill it.
                EnsureFree((int)recordBytes - available.Length + MinimumReadBytes);
                return;
            }

            var position = 0;
            int offsetDelta;
            try
            {
                RecordCodec.Read(available[..(int)recordBytes], ref position, _index, unused, materialize: false, out offsetDelta);
            }
            catch (LogException e)
            {
                Fail(e.ErrorCode, e.Message);
                return;
            }

            if (offsetDelta != _index)
            {
                Fail(LogErrorCode.InvalidRecord, $"record {_index} has offset delta {offsetDelta}; deltas must run 0, 1, 2, ...");
                return;
            }

            _index++;
            _start += (int)recordBytes;
        }

        _start = 0;
        _end = 0;
    }

    /// <summary>Makes at least <paramref name="bytes"/> free at the end of the window: first by moving unchecked bytes to the front, then by growing.</summary>
    private void EnsureFree(int bytes)
    {
        if (_window.Length - _end >= bytes)
        {
            return;
        }

        var pending = _end - _start;
        if (_start > 0 && _window.Length - pending >= bytes)
        {
            _window.AsSpan(_start, pending).CopyTo(_window);
            _start = 0;
            _end = pending;
            return;
        }

        var needed = (long)pending + bytes;
        var size = (int)Math.Min(Math.Max(needed, Math.Min((long)_window.Length * 2, _maxBytes + MinimumReadBytes)), Array.MaxLength);
        var grown = size <= PooledWindowBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        _window.AsSpan(_start, pending).CopyTo(grown);
        ReturnWindow(_window);
        _window = grown;
        _start = 0;
        _end = pending;
    }

    private static void ReturnWindow(byte[] window)
    {
        if (window.Length is > 0 and <= PooledWindowBytes)
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private void FailTooLarge(long bytes) =>
        Fail(LogErrorCode.MessageTooLarge, $"the records decompress to more than {_maxBytes} bytes (at least {bytes}), the topic's max.message.bytes less the {RecordBatchHeader.Size}-byte batch header.");

    private void Fail(LogErrorCode code, string error)
    {
        if (_code == LogErrorCode.None)
        {
            _code = code;
            _error = error;
        }
    }
}
