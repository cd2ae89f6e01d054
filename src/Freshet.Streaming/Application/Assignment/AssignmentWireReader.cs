using System.Buffers.Binary;
using System.Text;

namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// Reads what <see cref="AssignmentWireWriter"/> writes, from bytes that may be hostile: every length and count is
/// checked against the bytes that remain before anything is allocated, so a decode never allocates more than its
/// input could hold, and every malformation is an <see cref="InvalidDataException"/> naming <c>what</c> was read.
/// </summary>
internal ref struct AssignmentWireReader
{
    /// <summary>Bytes one encoded task takes: int32 sub-topology and int32 partition.</summary>
    public const int TaskSize = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly string _what;
    private int _position;

    /// <param name="what">The structure being decoded, for error messages ("member subscription").</param>
    public AssignmentWireReader(ReadOnlySpan<byte> bytes, string what)
    {
        _bytes = bytes;
        _what = what;
    }

    public readonly int Remaining => _bytes.Length - _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    public short ReadInt16(string field) => BinaryPrimitives.ReadInt16BigEndian(Take(2, field));

    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32BigEndian(Take(4, field));

    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64BigEndian(Take(8, field));

    public Guid ReadGuid(string field) => new(Take(16, field), bigEndian: true);

    public string ReadString(string field) =>
        ReadNullableString(field) ?? throw Malformed($"its {field} is null but is required");

    public string? ReadNullableString(string field)
    {
        var length = ReadInt16(field + " length");
        if (length == -1)
        {
            return null;
        }

        if (length < -1)
        {
            throw Malformed($"its {field} has length {length}");
        }

        try
        {
            return StrictUtf8.GetString(Take(length, field));
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"its {field} is not valid UTF-8");
        }
    }

    public TaskId ReadTask(string field)
    {
        var subTopology = ReadInt32(field);
        var partition = ReadInt32(field);
        return subTopology >= 0 && partition >= 0
            ? new TaskId(subTopology, partition)
            : throw Malformed($"its {field} has a negative sub-topology or partition ({subTopology}_{partition})");
    }

    /// <summary>Reads an int32 count and that many distinct tasks, in the order written.</summary>
    public TaskId[] ReadTasks(string field)
    {
        var count = ReadCount(field, TaskSize);
        var tasks = new TaskId[count];
        var seen = new HashSet<TaskId>(count);
        for (var i = 0; i < count; i++)
        {
            tasks[i] = ReadTask(field);
            if (!seen.Add(tasks[i]))
            {
                throw Malformed($"its {field} list has task {tasks[i]} twice");
            }
        }

        return tasks;
    }

    /// <summary>Reads an int32 count of entries of at least <paramref name="entrySize"/> bytes each, checked against what remains.</summary>
    public int ReadCount(string field, int entrySize)
    {
        var count = ReadInt32(field + " count");
        if (count < 0 || count > Remaining / entrySize)
        {
            throw Malformed($"its {field} count {count} does not fit the {Remaining} bytes that remain");
        }

        return count;
    }

    /// <summary>Throws unless every byte was read: trailing bytes mean a different layout than the version claims.</summary>
    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw Malformed($"{Remaining} bytes follow its last field");
        }
    }

    public readonly InvalidDataException Malformed(string problem) =>
        new($"The {_what} is malformed: {problem} ({_bytes.Length} bytes).");

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (Remaining < count)
        {
            throw Malformed($"it ends inside its {field} (needs {count} bytes at offset {_position}, {Remaining} remain)");
        }

        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }
}
