using System.Globalization;
using Freshet.Streaming;
using Freshet.Streaming.Keys;

namespace Freshet.KeyHash.TestHost;

/// <summary>
/// Random keys of many shapes — tuples (nested, of arity 9), reference tuples, records (nested, derived, containing
/// themselves), anonymous types, enums, nullables, byte arrays, decimals, dates and times, a key with its own stable
/// hash — generated from a seed, with their stable hash and key group (128 key groups). Compiled into the test host and
/// into the test project, so both processes generate the same keys from the same seed: <c>System.Random</c> with a
/// seed gives the same sequence in every process. Strings are random UTF-16 code units (surrogates included).
/// </summary>
public static class KeySamples
{
    /// <summary>Number of key groups the key groups are computed for.</summary>
    public const int MaxParallelism = 128;

    public enum Color : short
    {
        Red = -3,
        Green = 0,
        Blue = 1000,
    }

    /// <summary>One line per key: "index hash keyGroup".</summary>
    public static IEnumerable<string> Lines(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var hash = Next(random, i % 17);
            yield return string.Create(CultureInfo.InvariantCulture, $"{i} {hash} {KeyGroups.Of(hash, MaxParallelism)}");
        }
    }

    private static int Next(Random r, int shape) => shape switch
    {
        0 => Hash((Text(r), r.Next())),
        1 => Hash((r.NextInt64(), Text(r), Id(r))),
        2 => Hash(((r.Next(), Text(r)), (r.Next(2) == 0, r.NextDouble() * 1e6))),
        3 => Hash((r.Next(), Text(r), r.Next(), r.Next(), r.NextInt64(), Text(r), r.Next(), Text(r), r.Next())),
        4 => Hash(Tuple.Create(Text(r), r.NextInt64())),
        5 => Hash(new Order(Text(r), r.Next(100), new Money(Amount(r), Text(r)))),
        6 => Hash((Pick<Color>(r), r.Next(3) == 0 ? (int?)null : r.Next(), r.Next(3) == 0 ? null : Text(r))),
        7 => Hash(Bytes(r)),
        8 => Hash((new DateTime(r.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc), new DateTimeOffset(r.NextInt64(DateTime.MaxValue.Ticks / 2), TimeSpan.FromHours(r.Next(-12, 13))), TimeSpan.FromTicks(r.NextInt64()), Amount(r))),
        9 => Hash(new Derived(Text(r), r.Next(), Bytes(r))),
        10 => Hash(new { Name = Text(r), Count = r.Next(), Color = Pick<Color>(r) }),
        11 => Hash(Chain(r, r.Next(5))),
        12 => Hash((new CaseInsensitiveName(Text(r)), r.Next())),
        13 => Hash(Text(r)),
        14 => Hash(r.NextInt64()),
        15 => Hash(new KeyValuePair<string, Guid>(Text(r), Id(r))),
        _ => Hash(((Half)r.NextSingle(), (Int128)r.NextInt64() * r.NextInt64(), DateOnly.FromDayNumber(r.Next(3_652_059)), new TimeOnly(r.NextInt64(TimeOnly.MaxValue.Ticks)), (char)r.Next(65536), (float)r.NextDouble())),
    };

    private static int Hash<T>(T key) => StableHash.Of(key);

    private static string Text(Random r)
    {
        var chars = new char[r.Next(13)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)(r.Next(4) == 0 ? r.Next(65536) : r.Next('a', 'z' + 1));
        }

        return new string(chars);
    }

    private static Guid Id(Random r)
    {
        var bytes = new byte[16];
        r.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static byte[] Bytes(Random r)
    {
        var bytes = new byte[r.Next(40)];
        r.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A decimal with a random coefficient and scale, trailing zeros included.</summary>
    private static decimal Amount(Random r) => new(r.Next(), r.Next(1000), 0, r.Next(2) == 0, (byte)r.Next(29));

    private static T Pick<T>(Random r)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        return values[r.Next(values.Length)];
    }

    private static Node? Chain(Random r, int length) => length == 0 ? null : new Node(r.Next(), Chain(r, length - 1));

    public readonly record struct Money(decimal Amount, string Currency);

    public sealed record Order(string Customer, int Region, Money Price);

    public sealed record Node(int Value, Node? Next);

    public record Base(string Name);

    public sealed record Derived(string Name, int Count, byte[] Payload) : Base(Name);

    /// <summary>A key equal regardless of case, with a stable hash that agrees.</summary>
    public sealed class CaseInsensitiveName(string name) : IStableHashable, IEquatable<CaseInsensitiveName>
    {
        public string Name { get; } = name;

        public int StableHashCode() => StableHash.Of(Name.ToUpperInvariant());

        public bool Equals(CaseInsensitiveName? other) => other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

        public override bool Equals(object? obj) => Equals(obj as CaseInsensitiveName);

        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);
    }
}
