using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// Writes the primitives of the assignment codecs (<see cref="MemberSubscription"/>, <see cref="TaskAssignment"/>):
/// big-endian integers, strings as an int16 byte length (-1 for null) and UTF-8, task lists as an int32 count and
/// (int32 sub-topology, int32 partition) pairs. <see cref="AssignmentWireReader"/> reads the same forms. Not thread-safe.
/// </summary>
internal sealed class AssignmentWireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes the 16 bytes of <paramref name="value"/> in RFC 4122 (big-endian) order.</summary>
    public void WriteGuid(Guid value)
    {
        value.TryWriteBytes(_buffer.GetSpan(16), bigEndian: true, out _);
        _buffer.Advance(16);
    }

    /// <summary>Writes an int16 byte length (-1 for null) and the UTF-8 bytes; throws if longer than 32767 bytes.</summary>
    public void WriteString(string? value, string what)
    {
        if (value is null)
        {
            WriteInt16(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new ArgumentException($"The {what} is {length} bytes of UTF-8; at most {short.MaxValue} fit.", what);
        }

        WriteInt16((short)length);
        _buffer.Advance(Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length)));
    }

    public void WriteTask(TaskId task)
    {
        WriteInt32(task.SubTopology);
        WriteInt32(task.Partition);
    }

    public void WriteTasks(IReadOnlyList<TaskId> tasks)
    {
        WriteInt32(tasks.Count);
        foreach (var task in tasks)
        {
            WriteTask(task);
        }
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
