using System.Buffers.Binary;
using System.Text;
using Freshet.Log.Records;
using Freshet.Log.Segments;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The changelog offsets file of a task's state directory (<see cref="FileName"/>, Kafka Streams' <c>.checkpoint</c>):
/// for each changelog partition, the next offset the local state reflects, so a restart replays only the tail of each
/// changelog. On disk, integers big-endian:
/// <code>
/// ["FCLO"][version: byte = 1][int32 count]
///   count × ([int16 topic length][topic, UTF-8][int32 partition][int64 offset])   sorted by topic, then partition
/// [uint32 CRC-32C of every byte before it]
/// </code>
/// <para>
/// Writes are atomic (<see cref="Write"/>: a temporary file, fsynced, renamed over the old one, the directory fsynced),
/// so after a crash the file holds the old offsets or the new ones, never a mix. A file that cannot be read or fails
/// validation (magic, version, checksum, counts, lengths, names, negative numbers, duplicates, trailing bytes, size) is
/// reported as <see cref="ChangelogOffsetsOutcome.Invalid"/> with the reason, never thrown: replaying from the
/// beginning is always correct, only slower. Bytes read are bounded by <see cref="MaxFileBytes"/>.
/// </para>
/// <para>
/// The offsets are only as good as the local state they describe: write them after that state is durable and describes
/// exactly those offsets (with exactly-once, only committed changes), and <see cref="Delete"/> them before the state
/// moves past them in a way a crash could leave half-done.
/// </para>
/// Thread-safe (stateless); one writer per directory at a time.
/// </summary>
internal static class ChangelogOffsets
{
    /// <summary>The file's name in a task's state directory.</summary>
    public const string FileName = "changelog.offsets";

    /// <summary>The largest file read (about a hundred thousand partitions with long topic names): anything larger is invalid.</summary>
    public const int MaxFileBytes = 32 * 1024 * 1024;

    /// <summary>Kafka's longest topic name, in characters (all ASCII, so also bytes).</summary>
    private const int MaxTopicBytes = 249;

    private const byte Version = 1;
    private const int HeaderBytes = 4 + 1 + 4;
    private const int CrcBytes = 4;

    /// <summary>Least bytes of one entry: a one-byte topic.</summary>
    private const int MinimumEntryBytes = 2 + 1 + 4 + 8;

    private static readonly byte[] Magic = "FCLO"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The path of the offsets file in <paramref name="stateDirectory"/>.</summary>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    /// <summary>
    /// Replaces the offsets file of <paramref name="stateDirectory"/> (created if missing) with <paramref name="offsets"/>,
    /// atomically and durably. Throws <see cref="ArgumentException"/> for an empty or over-long topic or a negative
    /// partition or offset, and the file system's exception when the write fails (the old file then stays).
    /// </summary>
    public static void Write(string stateDirectory, IReadOnlyDictionary<ChangelogPartition, long> offsets)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentNullException.ThrowIfNull(offsets);
        Directory.CreateDirectory(stateDirectory);
        SegmentFiles.WriteAllBytesDurably(PathIn(stateDirectory), Encode(offsets));
    }

    /// <summary>Reads the offsets file of <paramref name="stateDirectory"/>; never throws for what it finds there.</summary>
    public static ChangelogOffsetsReadResult Read(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        var path = PathIn(stateDirectory);
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length > MaxFileBytes)
            {
                return Invalid(path, $"it is {file.Length} bytes, more than the {MaxFileBytes} an offsets file may have");
            }

            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new ChangelogOffsetsReadResult(ChangelogOffsetsOutcome.Missing, new Dictionary<ChangelogPartition, long>(), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid(path, $"it cannot be read ({e.Message})");
        }

        return TryDecode(bytes, out var offsets, out var problem)
            ? new ChangelogOffsetsReadResult(ChangelogOffsetsOutcome.Read, offsets, null)
            : Invalid(path, problem);
    }

    /// <summary>Removes the offsets file of <paramref name="stateDirectory"/>, durably (the next restart replays from the beginning).</summary>
    public static void Delete(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        var path = PathIn(stateDirectory);
        if (File.Exists(path))
        {
            File.Delete(path);
            SegmentFiles.FsyncDirectory(stateDirectory);
        }
    }

    /// <summary>The file's bytes for <paramref name="offsets"/>.</summary>
    public static byte[] Encode(IReadOnlyDictionary<ChangelogPartition, long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var entries = offsets.OrderBy(static e => e.Key.Topic, StringComparer.Ordinal).ThenBy(static e => e.Key.Partition).ToArray();
        var topics = new byte[entries.Length][];
        var length = HeaderBytes + CrcBytes;
        for (var i = 0; i < entries.Length; i++)
        {
            var ((topic, partition), offset) = entries[i];
            ArgumentException.ThrowIfNullOrEmpty(topic, nameof(offsets));
            topics[i] = StrictUtf8.GetBytes(topic);
            if (topics[i].Length > MaxTopicBytes)
            {
                throw new ArgumentException($"The topic name '{topic}' is longer than Kafka's {MaxTopicBytes} characters.", nameof(offsets));
            }

            if (partition < 0 || offset < 0)
            {
                throw new ArgumentException($"Changelog partition {entries[i].Key} has partition {partition} and offset {offset}; neither may be negative.", nameof(offsets));
            }

            length += 2 + topics[i].Length + 4 + 8;
        }

        var bytes = new byte[length];
        Magic.CopyTo(bytes, 0);
        bytes[4] = Version;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(5), entries.Length);
        var at = HeaderBytes;
        for (var i = 0; i < entries.Length; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(at), (short)topics[i].Length);
            topics[i].CopyTo(bytes, at + 2);
            at += 2 + topics[i].Length;
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), entries[i].Key.Partition);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 4), entries[i].Value);
            at += 12;
        }

        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), Crc32C.Compute(bytes.AsSpan(0, at)));
        return bytes;
    }

    /// <summary>Decodes and validates a file's bytes; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out IReadOnlyDictionary<ChangelogPartition, long> offsets, out string problem)
    {
        offsets = new Dictionary<ChangelogPartition, long>();
        problem = "";
        if (bytes.Length < HeaderBytes + CrcBytes)
        {
            problem = $"it is {bytes.Length} bytes, too short for its header and checksum";
            return false;
        }

        if (!bytes[..4].SequenceEqual(Magic))
        {
            problem = "it does not start with the offsets file's magic bytes";
            return false;
        }

        if (bytes[4] != Version)
        {
            problem = $"its layout version {bytes[4]} is not known (this version reads {Version})";
            return false;
        }

        var body = bytes[..^CrcBytes];
        var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(bytes[^CrcBytes..]);
        if (Crc32C.Compute(body) != storedCrc)
        {
            problem = "its checksum does not match its contents (a torn or damaged file)";
            return false;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[5..]);
        var rest = body[HeaderBytes..];
        if (count < 0 || count > rest.Length / MinimumEntryBytes)
        {
            problem = $"its count of {count} entries does not fit in its {rest.Length} bytes of entries";
            return false;
        }

        var decoded = new Dictionary<ChangelogPartition, long>(count);
        for (var i = 0; i < count; i++)
        {
            if (rest.Length < 2)
            {
                problem = $"entry {i} is cut short";
                return false;
            }

            var topicLength = BinaryPrimitives.ReadInt16BigEndian(rest);
            if (topicLength < 1 || topicLength > MaxTopicBytes || rest.Length < 2 + topicLength + 12)
            {
                problem = $"entry {i} has a topic of {topicLength} bytes, which is not 1 to {MaxTopicBytes} or runs past the entries";
                return false;
            }

            string topic;
            try
            {
                topic = StrictUtf8.GetString(rest.Slice(2, topicLength));
            }
            catch (DecoderFallbackException)
            {
                problem = $"entry {i} has a topic name that is not UTF-8";
                return false;
            }

            rest = rest[(2 + topicLength)..];
            var partition = BinaryPrimitives.ReadInt32BigEndian(rest);
            var offset = BinaryPrimitives.ReadInt64BigEndian(rest[4..]);
            rest = rest[12..];
            if (partition < 0 || offset < 0)
            {
                problem = $"entry {i} ({topic}) has partition {partition} and offset {offset}; neither may be negative";
                return false;
            }

            if (!decoded.TryAdd(new ChangelogPartition(topic, partition), offset))
            {
                problem = $"partition {topic}-{partition} appears twice";
                return false;
            }
        }

        if (!rest.IsEmpty)
        {
            problem = $"{rest.Length} bytes follow its last entry";
            return false;
        }

        offsets = decoded;
        return true;
    }

    private static ChangelogOffsetsReadResult Invalid(string path, string problem) =>
        new(ChangelogOffsetsOutcome.Invalid, new Dictionary<ChangelogPartition, long>(), $"The changelog offsets file {path} is ignored, so every changelog is replayed from its beginning: {problem}.");
}
