using System.Buffers.Binary;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>Reads the body of a value after its header, checking every count and length against the bytes left.</summary>
internal ref struct ChangelogValueReader
{
    private readonly string _stateName;
    private ReadOnlySpan<byte> _rest;

    public ChangelogValueReader(ReadOnlySpan<byte> body, string stateName)
    {
        _rest = body;
        _stateName = stateName;
    }

    /// <summary>The name of the state the record belongs to, for messages.</summary>
    public readonly string StateName => _stateName;

    /// <summary>Everything left (the single value of a value, reducing or aggregating state).</summary>
    public ReadOnlySpan<byte> ReadToEnd()
    {
        var rest = _rest;
        _rest = [];
        return rest;
    }

    /// <summary>
    /// The count of a list or map, refused when negative or larger than the bytes left allow at
    /// <paramref name="minimumBytesEach"/> bytes per item (so a hostile count cannot make the reader allocate).
    /// </summary>
    public int ReadCount(int minimumBytesEach)
    {
        var count = ReadInt32("count");
        if (count < 0 || count > _rest.Length / minimumBytesEach)
        {
            throw ChangelogValueFormat.Malformed(_stateName, $"a count of {count} does not fit in the {_rest.Length} bytes that follow it");
        }

        return count;
    }

    /// <summary>One length-prefixed item.</summary>
    public ReadOnlySpan<byte> ReadSized()
    {
        var length = ReadInt32("length");
        if (length < 0 || length > _rest.Length)
        {
            throw ChangelogValueFormat.Malformed(_stateName, $"an item of {length} bytes does not fit in the {_rest.Length} bytes left");
        }

        var item = _rest[..length];
        _rest = _rest[length..];
        return item;
    }

    /// <summary>Fails when bytes are left after the last item.</summary>
    public readonly void EnsureEnd()
    {
        if (!_rest.IsEmpty)
        {
            throw ChangelogValueFormat.Malformed(_stateName, $"{_rest.Length} bytes follow its last item");
        }
    }

    private int ReadInt32(string what)
    {
        if (_rest.Length < ChangelogValueFormat.LengthBytes)
        {
            throw ChangelogValueFormat.Malformed(_stateName, $"it ends inside a {what}");
        }

        var value = BinaryPrimitives.ReadInt32BigEndian(_rest);
        _rest = _rest[ChangelogValueFormat.LengthBytes..];
        return value;
    }
}
