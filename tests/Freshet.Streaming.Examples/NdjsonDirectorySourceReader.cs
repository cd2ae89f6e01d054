using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Examples;

/// <summary>
/// One subtask of <see cref="NdjsonDirectorySource{T}"/>: lists the directory, takes on the files
/// <see cref="SplitAssignment"/> gives its subtask (a split number each, in the order taken on), and reads them one
/// at a time, line by line. A file read to its end is reported finished, so it no longer holds the watermark back; a
/// file taken on but not started yet does hold it back, so its records are not late when their turn comes.
/// <para>
/// Position: version byte 1, big-endian int32 file count, then per file a big-endian int32 UTF-8 length and the file
/// name, the big-endian int64 byte offset where its next line starts, and a byte 1 when it was read to its end.
/// </para>
/// Task thread only.
/// </summary>
internal sealed class NdjsonDirectorySourceReader<T> : SourceReader<T>
{
    private const byte PositionVersion = 1;
    private const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly string _directory;
    private readonly Func<T, long>? _eventTime;
    private readonly long? _monitorIntervalMs;
    private readonly JsonSerializerOptions _json;
    private readonly SourceReaderContext _context;

    /// <summary>Every file of this subtask taken on or restored, by name; the position is made of these.</summary>
    private readonly SortedDictionary<string, FileProgress> _files = new(StringComparer.Ordinal);

    /// <summary>Files taken on and not yet started, in split-number order.</summary>
    private readonly Queue<FileProgress> _pending = new();

    private int _splitCount;
    private bool _opened;
    private long _nextListingMs;

    private FileProgress? _current;
    private FileStream? _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfFile;

    public NdjsonDirectorySourceReader(string directory, Func<T, long>? eventTime, TimeSpan? monitorInterval, JsonSerializerOptions json, SourceReaderContext context)
    {
        _directory = directory;
        _eventTime = eventTime;
        _monitorIntervalMs = monitorInterval is { } interval ? (long)interval.TotalMilliseconds : null;
        _json = json;
        _context = context;
    }

    public override int SplitCount => _splitCount;

    public override bool SupportsPositions => true;

    /// <summary>Positions are per file and files are assigned by name, so every reader can pick its own files out of any old subtask's position.</summary>
    public override bool PositionsApplyAcrossParallelism => true;

    public override void Open()
    {
        if (!Directory.Exists(_directory))
        {
            throw new DirectoryNotFoundException($"No directory at '{_directory}'.");
        }

        _opened = true;

        // Restored files not read to their end continue first, in name order. A finished file that is gone is
        // dropped from the position; an unfinished one that is gone has lost lines, which must not pass silently.
        foreach (var file in _files.Values.ToArray())
        {
            var exists = File.Exists(PathOf(file));
            if (file.Done)
            {
                if (!exists)
                {
                    _files.Remove(file.Name);
                }

                continue;
            }

            if (!exists)
            {
                throw new FileNotFoundException($"'{file.Name}' was read up to byte {file.Offset} before the restore and is no longer in '{_directory}': the rest of its lines are lost.", PathOf(file));
            }

            TakeOn(file);
        }

        TakeOnNewFiles();
        _nextListingMs = _context.CurrentProcessingTimeMs + (_monitorIntervalMs ?? 0);
    }

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        if (_monitorIntervalMs is { } interval && _context.CurrentProcessingTimeMs >= _nextListingMs)
        {
            TakeOnNewFiles();
            _nextListingMs = _context.CurrentProcessingTimeMs + interval;
        }

        var emitted = 0;
        while (emitted < maxRecords)
        {
            if (_current is null)
            {
                if (!_pending.TryDequeue(out var next))
                {
                    return _monitorIntervalMs is null ? SourcePoll.EndOfInput
                        : emitted > 0 ? SourcePoll.MoreAvailable
                        : SourcePoll.NothingAvailable;
                }

                Start(next);
            }

            var unread = _buffer.AsSpan(_start, _end - _start);
            var newline = unread.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                emitted += Emit(output, unread[..newline], newline + 1);
            }
            else if (_endOfFile)
            {
                emitted += Emit(output, unread, unread.Length);
                Finish(output);
            }
            else
            {
                Fill();
            }
        }

        return SourcePoll.MoreAvailable;
    }

    public override byte[] SnapshotPosition()
    {
        var names = new byte[_files.Count][];
        var length = 5;
        var i = 0;
        foreach (var name in _files.Keys)
        {
            names[i] = Encoding.UTF8.GetBytes(name);
            length += 4 + names[i].Length + 9;
            i++;
        }

        var position = new byte[length];
        position[0] = PositionVersion;
        BinaryPrimitives.WriteInt32BigEndian(position.AsSpan(1), _files.Count);
        var at = 5;
        i = 0;
        foreach (var file in _files.Values)
        {
            BinaryPrimitives.WriteInt32BigEndian(position.AsSpan(at), names[i].Length);
            names[i].CopyTo(position, at + 4);
            at += 4 + names[i].Length;
            BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(at), file.Offset);
            position[at + 8] = file.Done ? (byte)1 : (byte)0;
            at += 9;
            i++;
        }

        return position;
    }

    /// <summary>Takes the files of <paramref name="position"/> that belong to this subtask; the rest belong to other readers.</summary>
    public override void RestorePosition(byte[] position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (_opened)
        {
            throw new InvalidOperationException("An NDJSON directory source's position is restored before it opens.");
        }

        if (position.Length < 5 || position[0] != PositionVersion)
        {
            throw new ArgumentException($"Not an NDJSON directory source position (version {PositionVersion} expected).", nameof(position));
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(position.AsSpan(1));
        if (count < 0)
        {
            throw new ArgumentException($"NDJSON directory source position holds {count} files.", nameof(position));
        }

        var at = 5;
        for (var i = 0; i < count; i++)
        {
            var nameLength = position.Length - at >= 4 ? BinaryPrimitives.ReadInt32BigEndian(position.AsSpan(at)) : -1;
            if (nameLength <= 0 || position.Length - at - 4 - 9 < nameLength)
            {
                throw new ArgumentException($"NDJSON directory source position truncated at file {i} of {count}.", nameof(position));
            }

            var name = Encoding.UTF8.GetString(position, at + 4, nameLength);
            at += 4 + nameLength;
            var offset = BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(at));
            var done = position[at + 8];
            at += 9;
            if (offset < 0 || done > 1 || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
            {
                throw new ArgumentException($"NDJSON directory source position names '{name}' at offset {offset} (done {done}), which is not a file position.", nameof(position));
            }

            if (SplitAssignment.SubtaskOf(name, _context.Parallelism) == _context.SubtaskIndex &&
                !_files.TryAdd(name, new FileProgress(name) { Offset = offset, Done = done == 1 }))
            {
                throw new ArgumentException($"'{name}' appears twice in the restored positions.", nameof(position));
            }
        }

        if (at != position.Length)
        {
            throw new ArgumentException("NDJSON directory source position has trailing bytes.", nameof(position));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream?.Dispose();
            _stream = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Takes on the files of this subtask that appeared since the last listing, in name order.</summary>
    private void TakeOnNewFiles()
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var name = Path.GetFileName(path);
            if (!name.StartsWith('.') && !_files.ContainsKey(name) && SplitAssignment.SubtaskOf(name, _context.Parallelism) == _context.SubtaskIndex)
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var file = new FileProgress(name);
            _files.Add(name, file);
            TakeOn(file);
        }
    }

    /// <summary>Gives <paramref name="file"/> the next split number (the output learns of it through <see cref="SplitCount"/>) and queues it.</summary>
    private void TakeOn(FileProgress file)
    {
        file.Split = _splitCount++;
        _pending.Enqueue(file);
    }

    private void Start(FileProgress file)
    {
        var stream = new FileStream(PathOf(file), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        if (file.Offset > stream.Length)
        {
            stream.Dispose();
            throw new InvalidDataException($"Cannot resume '{PathOf(file)}' at byte {file.Offset}: it has only {stream.Length} bytes (files must not change once they appear).");
        }

        stream.Position = file.Offset;
        _stream = stream;
        _current = file;
        _start = 0;
        _end = 0;
        _endOfFile = false;
        if (file.Offset == 0)
        {
            Fill();
            if (_buffer.AsSpan(0, _end).StartsWith(Encoding.UTF8.Preamble))
            {
                _start = 3;
                file.Offset = 3;
            }
        }
    }

    /// <summary>Deserializes one line (<paramref name="consumed"/> bytes with its terminator) and collects it; returns the records collected (0 for a blank line).</summary>
    private int Emit(SourceOutput<T> output, ReadOnlySpan<byte> line, int consumed)
    {
        var file = _current!;
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        var lineOffset = file.Offset;
        _start += consumed;
        file.Offset += consumed;
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return 0;
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(line, _json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{PathOf(file)}' at byte {lineOffset}: the line is not a {typeof(T).Name}: {e.Message}", e);
        }

        if (value is null)
        {
            throw new InvalidDataException($"'{PathOf(file)}' at byte {lineOffset}: the line is null, not a {typeof(T).Name}.");
        }

        output.Collect(value, _eventTime is null ? long.MinValue : _eventTime(value), file.Split);
        return 1;
    }

    /// <summary>The current file is read to its end: its split is finished and the next file's turn comes.</summary>
    private void Finish(SourceOutput<T> output)
    {
        var file = _current!;
        file.Done = true;
        output.FinishSplit(file.Split);
        _stream!.Dispose();
        _stream = null;
        _current = null;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new InvalidDataException($"'{PathOf(_current!)}' has a line longer than {MaxLineBytes} bytes at byte {_current!.Offset}.");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes));
        }

        var read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
        _endOfFile = read == 0;
        _end += read;
    }

    private string PathOf(FileProgress file) => Path.Combine(_directory, file.Name);

    /// <summary>Where one file stands: <see cref="Offset"/> is the byte where its next line starts.</summary>
    private sealed class FileProgress(string name)
    {
        public string Name { get; } = name;

        public long Offset { get; set; }

        public bool Done { get; set; }

        /// <summary>The split number in this run; -1 for a file finished before the restore (it needs none).</summary>
        public int Split { get; set; } = -1;
    }
}
