using System.Buffers.Binary;

namespace Freshet.Streaming.Application.Repartition;

/// <summary>
/// The checkpoint position of a <see cref="RepartitionSourceReader{T}"/>: the next offset of its partition, and the
/// status and watermark of each upstream task as the markers before that offset left them — so a restored reader
/// continues with the watermark it had, instead of waiting for markers an idle upstream task may never send again.
/// Layout (big-endian): version byte 1, int64 next offset, int32 upstream task count n, then n times a status byte
/// (<see cref="UpstreamStatus"/>) and an int64 watermark. Immutable; thread-safe.
/// </summary>
/// <param name="NextOffset">The offset of the next record to read.</param>
/// <param name="Statuses">Per upstream task, by its partition.</param>
/// <param name="Watermarks">Per upstream task, its last marker's watermark (<see cref="long.MinValue"/> when <see cref="UpstreamStatus.Unknown"/>).</param>
internal sealed record RepartitionReaderPosition(long NextOffset, UpstreamStatus[] Statuses, long[] Watermarks)
{
    private const byte Version = 1;
    private const int HeaderLength = 1 + 8 + 4;
    private const int PerUpstreamLength = 1 + 8;

    /// <summary>The bytes of this position.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[HeaderLength + (PerUpstreamLength * Statuses.Length)];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), NextOffset);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(9), Statuses.Length);
        for (var i = 0; i < Statuses.Length; i++)
        {
            var at = HeaderLength + (PerUpstreamLength * i);
            bytes[at] = (byte)Statuses[i];
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(at + 1), Watermarks[i]);
        }

        return bytes;
    }

    /// <summary>Reads a position written by <see cref="Encode"/>.</summary>
    /// <exception cref="ArgumentException">The bytes are not such a position (version, length, a negative offset, an unknown status).</exception>
    public static RepartitionReaderPosition Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < HeaderLength || bytes[0] != Version)
        {
            throw new ArgumentException($"Not a repartition reader position (version {Version}, at least {HeaderLength} bytes, expected).", nameof(bytes));
        }

        var next = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(9));
        if (next < 0 || count < 0 || bytes.Length != HeaderLength + ((long)PerUpstreamLength * count))
        {
            throw new ArgumentException($"A repartition reader position of {bytes.Length} bytes cannot hold next offset {next} and {count} upstream tasks.", nameof(bytes));
        }

        var statuses = new UpstreamStatus[count];
        var watermarks = new long[count];
        for (var i = 0; i < count; i++)
        {
            var at = HeaderLength + (PerUpstreamLength * i);
            statuses[i] = bytes[at] switch
            {
                (byte)UpstreamStatus.Unknown => UpstreamStatus.Unknown,
                (byte)UpstreamStatus.Active => UpstreamStatus.Active,
                (byte)UpstreamStatus.Idle => UpstreamStatus.Idle,
                var other => throw new ArgumentException($"A repartition reader position gives upstream task {i} the unknown status {other}.", nameof(bytes)),
            };
            watermarks[i] = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(at + 1));
        }

        return new RepartitionReaderPosition(next, statuses, watermarks);
    }
}
