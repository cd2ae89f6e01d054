using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>Random damage to valid encodings: flipped bits, interesting bytes (0x00, 0x7F, 0x80, 0xFF), insertions, deletions, truncation.</summary>
internal static class Mutations
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

    public static Gen<byte[]> Of(byte[] valid) =>
        Gen.Int[1, 4].SelectMany(count => Gen.Int[0, 4].Array[count].SelectMany(kinds =>
            Gen.Int[0, int.MaxValue].Array[kinds.Length * 2].Select(randoms => Apply(valid, kinds, randoms))));

    private static byte[] Apply(byte[] valid, int[] kinds, int[] randoms)
    {
        var bytes = new List<byte>(valid);
        for (int i = 0; i < kinds.Length; i++)
        {
            int a = randoms[2 * i];
            int b = randoms[2 * i + 1];
            switch (kinds[i])
            {
                case 0 when bytes.Count > 0:
                    bytes[a % bytes.Count] ^= (byte)(1 << (b % 8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[a % bytes.Count] = Interesting[b % Interesting.Length];
                    break;
                case 2:
                    bytes.Insert(a % (bytes.Count + 1), Interesting[b % Interesting.Length]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(a % bytes.Count);
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(a % bytes.Count, bytes.Count - (a % bytes.Count));
                    break;
                default:
                    break;
            }
        }

        return [.. bytes];
    }
}
