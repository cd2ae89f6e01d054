using System.Buffers.Binary;
using System.Text;
using Freshet.Log.Records;
using Freshet.Log.Segments;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// A copy on disk, so that an instance that restarts — a rolling upgrade, a crash — restores its tasks from the
/// changelogs' tail instead of their beginning (Kafka Streams' local state with its <c>.checkpoint</c> offsets file).
/// One file per task holds everything: the job graph's fingerprint, and per changelog topic its uid, the next offset
/// the copy reflects and the records. Integers big-endian:
/// <code>
/// ["FCCP"][version: byte = 1][string fingerprint][int32 topics]
///   topics × ([string topic][string uid][int64 next offset][int32 records] records × ([int32 n][key: n bytes][int32 n][value: n bytes]))
/// [uint32 CRC-32C of every byte before it]
/// </code>
/// where a string is an int16 length and UTF-8. Written atomically (a temporary file, fsynced, renamed, the directory
/// fsynced), so a crash leaves the old file or the new one. A file that is missing, unreadable, fails validation or
/// belongs to another job graph is ignored — the copy starts cold, which is always correct, only slower.
/// </summary>
internal sealed partial class TaskChangelogCopy
{
    private const byte FileVersion = 1;
    private static readonly byte[] FileMagic = "FCCP"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Offset sum when the copy was last saved or loaded: unchanged copies are not written again.</summary>
    private long _savedOffsetSum = -1;

    /// <summary>Writes the copy to <paramref name="path"/> durably unless it has not moved since it was last saved or loaded. The owner's thread only.</summary>
    public void SaveIfChanged(string path, string fingerprint)
    {
        var sum = OffsetSum;
        if (sum == _savedOffsetSum)
        {
            return;
        }

        byte[] bytes;
        lock (_topics)
        {
            bytes = Encode(fingerprint);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SegmentFiles.WriteAllBytesDurably(path, bytes);
        _savedOffsetSum = sum;
    }

    /// <summary>The copy saved at <paramref name="path"/> for the job graph <paramref name="fingerprint"/>, or null (with the reason) when there is none to use.</summary>
    public static TaskChangelogCopy? TryLoad(string path, string fingerprint, out string? problem)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = null;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            problem = $"{path} cannot be read ({e.Message})";
            return null;
        }

        try
        {
            var copy = Decode(bytes, fingerprint);
            copy._savedOffsetSum = copy.OffsetSum;
            problem = null;
            return copy;
        }
        catch (InvalidDataException e)
        {
            problem = $"{path} is not a usable changelog copy: {e.Message}";
            return null;
        }
    }

    /// <summary>The file's bytes (see the type's summary).</summary>
    public byte[] Encode(string fingerprint)
    {
        using var stream = new MemoryStream();
        stream.Write(FileMagic);
        stream.WriteByte(FileVersion);
        WriteString(stream, fingerprint);
        WriteInt32(stream, _topics.Count);
        Span<byte> offset = stackalloc byte[8];
        foreach (var (topic, copy) in _topics.OrderBy(static t => t.Key, StringComparer.Ordinal))
        {
            WriteString(stream, topic);
            WriteString(stream, copy.Uid);
            BinaryPrimitives.WriteInt64BigEndian(offset, copy.NextOffset);
            stream.Write(offset);
            WriteInt32(stream, copy.Records.Count);
            foreach (var (key, value) in copy.Records)
            {
                WriteInt32(stream, key.Length);
                stream.Write(key);
                WriteInt32(stream, value.Length);
                stream.Write(value);
            }
        }

        var crc = Crc32C.Compute(stream.GetBuffer().AsSpan(0, (int)stream.Length));
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);
        stream.Write(trailer);
        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a valid copy of graph <paramref name="fingerprint"/>.</exception>
    public static TaskChangelogCopy Decode(ReadOnlySpan<byte> bytes, string fingerprint)
    {
        if (bytes.Length < FileMagic.Length + 1 + 2 + 4 + 4 || !bytes[..FileMagic.Length].SequenceEqual(FileMagic))
        {
            throw new InvalidDataException("it does not start with a changelog copy's header");
        }

        if (bytes[FileMagic.Length] != FileVersion)
        {
            throw new InvalidDataException($"it has version {bytes[FileMagic.Length]}; this Freshet reads version {FileVersion}");
        }

        var body = bytes[..^4];
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(bytes[^4..]))
        {
            throw new InvalidDataException("its checksum does not match (a torn or damaged file)");
        }

        var position = FileMagic.Length + 1;
        var saved = ReadString(body, ref position);
        if (saved != fingerprint)
        {
            throw new InvalidDataException($"it belongs to the job graph {saved}, not {fingerprint}");
        }

        var copy = new TaskChangelogCopy();
        var topics = ReadCount(body, ref position, 2 + 2 + 8 + 4);
        for (var t = 0; t < topics; t++)
        {
            var topic = ReadString(body, ref position);
            var uid = ReadString(body, ref position);
            var next = BinaryPrimitives.ReadInt64BigEndian(Take(body, ref position, 8));
            if (next < 0 || copy._topics.ContainsKey(topic))
            {
                throw new InvalidDataException($"topic '{topic}' has offset {next} or appears twice");
            }

            var topicCopy = copy.CopyOf(topic, uid);
            var records = ReadCount(body, ref position, 8);
            for (var r = 0; r < records; r++)
            {
                var key = Take(body, ref position, ReadCount(body, ref position, 1)).ToArray();
                var value = Take(body, ref position, ReadCount(body, ref position, 0)).ToArray();
                topicCopy.Records[key] = value;
            }

            copy.SetPosition(topicCopy, next);
        }

        if (position != body.Length)
        {
            throw new InvalidDataException($"{body.Length - position} bytes follow the last topic");
        }

        return copy;
    }

    private static void WriteInt32(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(length, checked((short)bytes.Length));
        stream.Write(length);
        stream.Write(bytes);
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> body, ref int position, int count)
    {
        if (count < 0 || body.Length - position < count)
        {
            throw new InvalidDataException($"a field of {count} bytes at byte {position} runs past the end");
        }

        var taken = body.Slice(position, count);
        position += count;
        return taken;
    }

    /// <summary>A non-negative int32 count whose items, at least <paramref name="minimumItemBytes"/> each, fit in what remains.</summary>
    private static int ReadCount(ReadOnlySpan<byte> body, ref int position, int minimumItemBytes)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(Take(body, ref position, 4));
        if (count < 0 || (minimumItemBytes > 0 && (long)count * minimumItemBytes > body.Length - position))
        {
            throw new InvalidDataException($"a count of {count} at byte {position - 4} does not fit the file");
        }

        return count;
    }

    private static string ReadString(ReadOnlySpan<byte> body, ref int position)
    {
        var length = BinaryPrimitives.ReadInt16BigEndian(Take(body, ref position, 2));
        try
        {
            return StrictUtf8.GetString(Take(body, ref position, length));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"a name at byte {position} is not UTF-8", e);
        }
    }
}
