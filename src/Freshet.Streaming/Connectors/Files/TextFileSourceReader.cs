using System.Buffers.Binary;
using System.Text;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Connectors.Files;

/// <summary>
/// Reads the lines of this subtask's files (file <c>i</c> of the sorted list goes to subtask <c>i % p</c>); each file
/// is a split, read to its end in turn and then finished, so a file read to its end (or before the restored position)
/// no longer holds back the watermark. A line ends at <c>\n</c>; a trailing <c>\r</c> is dropped, as is a UTF-8 byte
/// order mark at the start of a file; the last line of a file needs no terminator. Lines are decoded as UTF-8
/// (invalid bytes become U+FFFD). Records have no source timestamp. Bounded.
/// <para>
/// Position (<see cref="SnapshotPosition"/>): the index of the file being read in the sorted file list and the byte
/// offset of the first line not yet emitted (<see cref="TextFileSource.PositionBytes"/> bytes: version 1,
/// big-endian int32 file index, big-endian int64 byte offset). Files of this subtask with a lower index are done.
/// </para>
/// Task thread only.
/// </summary>
internal sealed class TextFileSourceReader : SourceReader<string>
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly IReadOnlyList<string> _files;
    private readonly List<int> _owned = [];
    private readonly int _maxLineBytes;
    private int _split;

    /// <summary>Splits below this one have been reported finished to the output.</summary>
    private int _finishedSplits;
    private long _offset;
    private FileStream? _stream;
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _start;
    private int _end;
    private bool _endOfFile;

    public TextFileSourceReader(IReadOnlyList<string> files, int maxLineBytes, int subtask, int parallelism)
    {
        _files = files;
        _maxLineBytes = maxLineBytes;
        for (var i = 0; i < files.Count; i++)
        {
            if (SplitAssignment.SubtaskOf(i, parallelism) == subtask)
            {
                _owned.Add(i);
            }
        }
    }

    public override int SplitCount => _owned.Count;

    public override SourcePoll Poll(SourceOutput<string> output, int maxRecords)
    {
        FinishSplitsBefore(output, _split);
        var emitted = 0;
        while (emitted < maxRecords)
        {
            if (_split >= _owned.Count)
            {
                return SourcePoll.EndOfInput;
            }

            _stream ??= OpenCurrent();
            var unread = _buffer.AsSpan(_start, _end - _start);
            var newline = unread.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Emit(output, unread[..newline], newline + 1);
                emitted++;
                continue;
            }

            if (_endOfFile)
            {
                if (unread.Length > 0)
                {
                    Emit(output, unread, unread.Length);
                    emitted++;
                }

                NextFile();
                FinishSplitsBefore(output, _split);
                continue;
            }

            Fill();
        }

        return SourcePoll.MoreAvailable;
    }

    public override bool SupportsPositions => true;

    public override byte[] SnapshotPosition()
    {
        var position = new byte[TextFileSource.PositionBytes];
        position[0] = 1;
        var fileIndex = _split < _owned.Count ? _owned[_split] : _files.Count;
        BinaryPrimitives.WriteInt32BigEndian(position.AsSpan(1), fileIndex);
        BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(5), _offset);
        return position;
    }

    public override void RestorePosition(byte[] position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Length != TextFileSource.PositionBytes || position[0] != 1)
        {
            throw new ArgumentException($"Not a text file source position (expected {TextFileSource.PositionBytes} bytes of version 1, got {position.Length} bytes).", nameof(position));
        }

        var fileIndex = BinaryPrimitives.ReadInt32BigEndian(position.AsSpan(1));
        var offset = BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(5));
        if (fileIndex < 0 || fileIndex > _files.Count || offset < 0)
        {
            throw new ArgumentException($"Text file source position (file {fileIndex}, offset {offset}) is outside the {_files.Count} files of this source.", nameof(position));
        }

        CloseCurrent();
        _split = 0;
        while (_split < _owned.Count && _owned[_split] < fileIndex)
        {
            _split++;
        }

        // The offset applies only to the file it was taken in; a later file of this subtask starts at its beginning.
        _offset = _split < _owned.Count && _owned[_split] == fileIndex ? offset : 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseCurrent();
        }

        base.Dispose(disposing);
    }

    private FileStream OpenCurrent()
    {
        var path = _files[_owned[_split]];
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            if (_offset > stream.Length)
            {
                throw new InvalidDataException($"Cannot resume '{path}' at byte {_offset}: the file has only {stream.Length} bytes (was it changed?).");
            }

            stream.Position = _offset;
            _start = 0;
            _end = 0;
            _endOfFile = false;
            if (_offset == 0)
            {
                SkipByteOrderMark(stream);
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private void SkipByteOrderMark(FileStream stream)
    {
        Fill(stream);
        if (_buffer.AsSpan(_start, _end - _start).StartsWith(Encoding.UTF8.Preamble))
        {
            _start += 3;
            _offset = 3;
        }
    }

    private void Fill() => Fill(_stream!);

    private void Fill(FileStream stream)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxLineBytes)
            {
                throw new InvalidDataException($"'{_files[_owned[_split]]}' has a line longer than {_maxLineBytes} bytes at byte {_offset}.");
            }

            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxLineBytes));
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfFile = true;
        }

        _end += read;
    }

    private void Emit(SourceOutput<string> output, ReadOnlySpan<byte> line, int consumed)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        output.Collect(Encoding.UTF8.GetString(line), long.MinValue, _split);
        _start += consumed;
        _offset += consumed;
    }

    /// <summary>Reports the splits below <paramref name="split"/> finished: read to their end, or done before the restored position.</summary>
    private void FinishSplitsBefore(SourceOutput<string> output, int split)
    {
        for (; _finishedSplits < split; _finishedSplits++)
        {
            output.FinishSplit(_finishedSplits);
        }
    }

    private void NextFile()
    {
        CloseCurrent();
        _split++;
        _offset = 0;
    }

    private void CloseCurrent()
    {
        _stream?.Dispose();
        _stream = null;
        _start = 0;
        _end = 0;
        _endOfFile = false;
    }
}
