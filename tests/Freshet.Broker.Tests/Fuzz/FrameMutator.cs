using System.Buffers.Binary;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// Makes bad frames: mutations of valid seed frames (flipped bits, interesting bytes and integers at
/// random places, insertions, deletions, duplicated chunks, truncation) with the size prefix kept
/// consistent, and frames bad at the framing level (random payloads, negative or oversized sizes, a size
/// larger than what follows, unknown API keys and versions). Not thread-safe: one per worker.
/// </summary>
internal sealed class FrameMutator
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];
    private static readonly short[] InterestingShorts = [0, 1, -1, short.MaxValue, short.MinValue, 0x7F, 0xFF, 255];
    private static readonly int[] InterestingInts = [0, 1, -1, -2, int.MaxValue, int.MinValue, 0xFF, 0x7FFF, 0xFFFF, 1 << 20, 1 << 30];
    private static readonly long[] InterestingLongs = [0, 1, -1, -2, -3, long.MaxValue, long.MinValue, int.MaxValue, 1L << 40];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly int _maxFrameBytes;

    public FrameMutator(Random random, IReadOnlyList<byte[]> seeds, int maxFrameBytes)
    {
        _random = random;
        _seeds = seeds;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>A seed frame with one to four mutations of its payload; the size prefix matches the new payload.</summary>
    public byte[] Mutate()
    {
        var seed = _seeds[_random.Next(_seeds.Count)];
        var payload = new List<byte>(seed.Length + 16);
        for (var i = 4; i < seed.Length; i++)
        {
            payload.Add(seed[i]);
        }

        var count = 1 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(payload);
        }

        return WithPrefix(payload.Count, [.. payload]);
    }

    /// <summary>A frame that is bad at the framing or header level.</summary>
    public byte[] BadFrame()
    {
        switch (_random.Next(6))
        {
            case 0:
                {
                    var payload = new byte[_random.Next(0, 300)];
                    _random.NextBytes(payload);
                    return WithPrefix(payload.Length, payload);
                }

            case 1:
                // Larger than the broker accepts: refused as soon as the size is read.
                return WithPrefix(_maxFrameBytes + 1 + _random.Next(1 << 20), new byte[_random.Next(0, 64)]);
            case 2:
                return WithPrefix(-1 - _random.Next(int.MaxValue), new byte[_random.Next(0, 64)]);
            case 3:
                {
                    // The size promises more than follows before the client stops sending.
                    var seed = _seeds[_random.Next(_seeds.Count)];
                    var cut = 4 + _random.Next(seed.Length - 4);
                    return seed.AsSpan(0, cut).ToArray();
                }

            case 4:
                {
                    // An API key no handler serves, with a plausible header.
                    var seed = (byte[])_seeds[_random.Next(_seeds.Count)].Clone();
                    short[] unknownKeys = [-1, 4, 5, 6, 7, 16, 21, 22, 24, 25, 26, 50, 68, 72, 1000, short.MaxValue];
                    BinaryPrimitives.WriteInt16BigEndian(seed.AsSpan(4), unknownKeys[_random.Next(unknownKeys.Length)]);
                    return seed;
                }

            default:
                {
                    // A served API at a version outside its range (ApiVersions is answered with error 35).
                    var seed = (byte[])_seeds[_random.Next(_seeds.Count)].Clone();
                    short[] versions = [-1, 13, 14, 20, 100, short.MaxValue, short.MinValue];
                    BinaryPrimitives.WriteInt16BigEndian(seed.AsSpan(6), versions[_random.Next(versions.Length)]);
                    return seed;
                }
        }
    }

    private void MutateOnce(List<byte> payload)
    {
        var at = payload.Count == 0 ? 0 : _random.Next(payload.Count);
        switch (_random.Next(10))
        {
            case 0 when payload.Count > 0:
                payload[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when payload.Count > 0:
                payload[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 2:
                payload.Insert(_random.Next(payload.Count + 1), InterestingBytes[_random.Next(InterestingBytes.Length)]);
                break;
            case 3 when payload.Count > 0:
                payload.RemoveAt(at);
                break;
            case 4 when payload.Count > 0:
                payload.RemoveRange(at, payload.Count - at);
                break;
            case 5 when payload.Count >= 2:
                Overwrite(payload, _random.Next(payload.Count - 1), BigEndian(InterestingShorts[_random.Next(InterestingShorts.Length)]));
                break;
            case 6 when payload.Count >= 4:
                Overwrite(payload, _random.Next(payload.Count - 3), BigEndian(InterestingInts[_random.Next(InterestingInts.Length)]));
                break;
            case 7 when payload.Count >= 8:
                Overwrite(payload, _random.Next(payload.Count - 7), BigEndian(InterestingLongs[_random.Next(InterestingLongs.Length)]));
                break;
            case 8 when payload.Count > 0:
                {
                    var length = 1 + _random.Next(Math.Min(32, payload.Count - at));
                    payload.InsertRange(_random.Next(payload.Count + 1), payload.GetRange(at, length));
                    break;
                }

            case 9 when payload.Count > 0:
                payload[at] = (byte)_random.Next(256);
                break;
            default:
                break;
        }
    }

    private static void Overwrite(List<byte> payload, int at, byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            payload[at + i] = bytes[i];
        }
    }

    private static byte[] BigEndian(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] WithPrefix(int size, byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, size);
        payload.CopyTo(frame, 4);
        return frame;
    }
}
