using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// The stable key hash (DESIGN.md decision 11): equal keys hash equally, composite hashes are pinned to values computed
/// outside .NET (a reference MurmurHash3 over the members' hashes as little-endian words), scalars keep the hashes that
/// existing checkpoints were written with, and key types that cannot be hashed stably are refused when the job is planned.
/// The same hashes in a separate process: <see cref="KeyHashAcrossProcessesTests"/>.
/// </summary>
public sealed class KeyHashTests
{
    public enum Color : byte
    {
        Red = 1,
        Blue = 200,
    }

    public enum Big : long
    {
        Far = -5,
    }

    [Fact]
    public void Of_SmallIntegersCharAndBool_EqualTheRuntimeHashesExistingCheckpointsUse()
    {
        for (var v = short.MinValue; v < short.MaxValue; v++)
        {
            Assert.Equal(v.GetHashCode(), KeyHash<short>.Of(v));
            Assert.Equal(((ushort)v).GetHashCode(), KeyHash<ushort>.Of((ushort)v));
            Assert.Equal(((char)v).GetHashCode(), KeyHash<char>.Of((char)v));
            Assert.Equal(((byte)v).GetHashCode(), KeyHash<byte>.Of((byte)v));
            Assert.Equal(((sbyte)v).GetHashCode(), KeyHash<sbyte>.Of((sbyte)v));
        }

        Assert.Equal(1, KeyHash<bool>.Of(true));
        Assert.Equal(0, KeyHash<bool>.Of(false));
        Assert.Equal(4259905, KeyHash<char>.Of('A'));
    }

    [Fact]
    public void Of_WideScalars_EqualTheRuntimeHashesExistingCheckpointsUse()
    {
        Gen.Select(Gen.Long, Gen.ULong, Gen.UInt, Gen.Double, Gen.Float).Sample((l, ul, ui, d, f) =>
        {
            Assert.Equal(l.GetHashCode(), KeyHash<long>.Of(l));
            Assert.Equal(ul.GetHashCode(), KeyHash<ulong>.Of(ul));
            Assert.Equal(ui.GetHashCode(), KeyHash<uint>.Of(ui));
            Assert.Equal(((int)l).GetHashCode(), KeyHash<int>.Of((int)l));
            Assert.Equal(d.GetHashCode(), KeyHash<double>.Of(d));
            Assert.Equal(f.GetHashCode(), KeyHash<float>.Of(f));
            Assert.Equal(new DateTime(Math.Abs(l % DateTime.MaxValue.Ticks), DateTimeKind.Utc).GetHashCode(), KeyHash<DateTime>.Of(new DateTime(Math.Abs(l % DateTime.MaxValue.Ticks), DateTimeKind.Utc)));
            Assert.Equal(TimeSpan.FromTicks(l).GetHashCode(), KeyHash<TimeSpan>.Of(TimeSpan.FromTicks(l)));
        });
        var instant = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(instant.GetHashCode(), KeyHash<DateTimeOffset>.Of(instant.ToOffset(TimeSpan.FromHours(5))));
        Assert.Equal(DayOfWeek.Friday.GetHashCode(), KeyHash<DayOfWeek>.Of(DayOfWeek.Friday));
        Assert.Equal(Color.Blue.GetHashCode(), KeyHash<Color>.Of(Color.Blue));
        Assert.Equal(Big.Far.GetHashCode(), KeyHash<Big>.Of(Big.Far));
        Assert.Equal(((int?)5).GetHashCode(), KeyHash<int?>.Of(5));
        Assert.Equal(0, KeyHash<int?>.Of(null));
    }

    [Fact]
    public void Of_Decimals_EqualTheRuntimeHashAndIgnoreTrailingZeros()
    {
        Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.Bool, Gen.Int[0, 28]).Sample((low, mid, high, negative, scale) =>
        {
            var value = Decimal((UInt128)high << 64 | (UInt128)mid << 32 | low, negative, scale);
            Assert.Equal(value.GetHashCode(), KeyHash<decimal>.Of(value));
        });
        Gen.Select(Gen.ULong[0, 999_999_999_999], Gen.Bool, Gen.Int[0, 12], Gen.Int[0, 10]).Sample((coefficient, negative, scale, zeros) =>
        {
            var value = Decimal(coefficient, negative, scale);
            var padded = Decimal(coefficient * UInt128.CreateChecked(Math.Pow(10, zeros)), negative, scale + zeros);
            Assert.Equal(value, padded);
            Assert.Equal(value.GetHashCode(), KeyHash<decimal>.Of(padded));
            Assert.Equal(KeyHash<decimal>.Of(value), KeyHash<decimal>.Of(padded));
        });
        Assert.Equal(KeyHash<decimal>.Of(1m), KeyHash<decimal>.Of(1.000m));
        Assert.Equal(0, KeyHash<decimal>.Of(-0.00m));
    }

    [Fact]
    public void Of_Guid_XorOfItsLittleEndianWords()
    {
        Assert.Equal(572662306, KeyHash<Guid>.Of(new Guid("00112233-4455-6677-8899-aabbccddeeff")));
    }

    [Fact]
    public void Of_CompositeKeys_PinnedMurmurOfMemberHashes()
    {
        Assert.Equal(-1016844666, KeyHash<(int, int)>.Of((1, 2)));
        Assert.Equal(-1016844666, KeyHash<Point>.Of(new Point(1, 2)));
        Assert.Equal(-1016844666, KeyHash<Tuple<int, int>>.Of(Tuple.Create(1, 2)));
        Assert.Equal(-1016844666, KeyHash<PointStruct>.Of(new PointStruct(1, 2)));
        Assert.Equal(1924122273, KeyHash<(string, long)>.Of(("hello", 42L)));
        Assert.Equal(1049167207, KeyHash<((int, string), decimal)>.Of(((1, "a"), 2.50m)));
        Assert.Equal(1669671676, KeyHash<(string?, long)>.Of((null, -1L)));
        Assert.Equal(897903540, KeyHash<(int, int, int, int, int, int, int, int, int)>.Of((1, 2, 3, 4, 5, 6, 7, 8, 9)));
        Assert.Equal(-290464013, KeyHash<Order>.Of(new Order("c-17", 3, new Money(12.50m, "EUR"))));
        Assert.Equal(1740791543, KeyHash<(int?, int?)>.Of((5, null)));
        Assert.Equal(0, KeyHash<ValueTuple>.Of(default));
    }

    [Fact]
    public void Of_ByteArrays_PinnedMurmurOfContents()
    {
        Assert.Equal(613153351, KeyHash<byte[]>.Of("hello"u8.ToArray()));
        Assert.Equal(0, KeyHash<byte[]>.Of([]));
        Assert.Equal(-61302859, KeyHash<byte[]>.Of([1, 2, 3, 4, 5, 6, 7]));
        Gen.Byte.Array.Sample(bytes => Assert.Equal(KeyHash<byte[]>.Of(bytes), KeyHash<byte[]>.Of((byte[])bytes.Clone())));
    }

    [Fact]
    public void Of_EqualCompositeValuesBuiltSeparately_EqualHashes()
    {
        Gen.Select(Gen.String, Gen.Int, Gen.Long, Gen.Double, Gen.Byte.Array, Gen.Int.Nullable()).Sample((s, i, l, d, bytes, n) =>
        {
            Assert.Equal(KeyHash<(string, int)>.Of((s, i)), KeyHash<(string, int)>.Of((Copy(s), i)));
            Assert.Equal(KeyHash<((string, long), (double, int?))>.Of(((s, l), (d, n))), KeyHash<((string, long), (double, int?))>.Of(((Copy(s), l), (d, n))));
            Assert.Equal(KeyHash<Tuple<string, long>>.Of(Tuple.Create(s, l)), KeyHash<Tuple<string, long>>.Of(Tuple.Create(Copy(s), l)));
            Assert.Equal(KeyHash<Order>.Of(new Order(s, i, new Money(l, s))), KeyHash<Order>.Of(new Order(Copy(s), i, new Money(l, Copy(s)))));
            Assert.Equal(KeyHash<(string, byte[], Color)>.Of((s, bytes, Color.Red)), KeyHash<(string, byte[], Color)>.Of((Copy(s), (byte[])bytes.Clone(), Color.Red)));
            Assert.Equal(KeyHash<Derived>.Of(new Derived(s, i)), KeyHash<Derived>.Of(new Derived(Copy(s), i)));
            Assert.Equal(HashOf(new { Name = s, Count = i }), HashOf(new { Name = Copy(s), Count = i }));
        });
    }

    [Fact]
    public void Of_ValuesEqualInDotNet_EqualHashesInsideComposites()
    {
        Assert.Equal(KeyHash<(double, decimal)>.Of((0.0, 1.0m)), KeyHash<(double, decimal)>.Of((-0.0, 1.00m)));
        Assert.Equal(KeyHash<(double, int)>.Of((double.NaN, 1)), KeyHash<(double, int)>.Of((BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000001)), 1)));
        Assert.Equal(KeyHash<(DateTime, int)>.Of((new DateTime(5, DateTimeKind.Utc), 1)), KeyHash<(DateTime, int)>.Of((new DateTime(5, DateTimeKind.Local), 1)));
    }

    [Fact]
    public void Of_DistinctComposites_SpreadOverAllKeyGroups()
    {
        var perGroup = new int[128];
        for (var i = 0; i < 12_800; i++)
        {
            perGroup[KeyGroups.Of(KeyHash<(string, int)>.Of(("k" + (i / 10), i % 10)), 128)]++;
        }

        Assert.All(perGroup, count => Assert.InRange(count, 50, 150));
        Assert.NotEqual(KeyHash<(int, int)>.Of((1, 2)), KeyHash<(int, int)>.Of((2, 1)));
    }

    [Fact]
    public void Of_TypeThatContainsItself_HashesTheWholeChain()
    {
        var chain = new Node(1, new Node(2, new Node(3, null)));
        Assert.Equal(KeyHash<Node>.Of(chain), KeyHash<Node>.Of(new Node(1, new Node(2, new Node(3, null)))));
        Assert.NotEqual(KeyHash<Node>.Of(chain), KeyHash<Node>.Of(new Node(1, new Node(2, new Node(4, null)))));
    }

    [Fact]
    public void Of_StableHashable_UsesTheKeysOwnHashAlsoInsideComposites()
    {
        Assert.Equal(KeyHash<CaseInsensitiveName>.Of(new("Alice")), KeyHash<CaseInsensitiveName>.Of(new("ALICE")));
        Assert.Equal(StableHash.Of("ALICE"), KeyHash<CaseInsensitiveName>.Of(new("alice")));
        Assert.Equal(KeyHash<(int, CaseInsensitiveName)>.Of((1, new("Bob"))), KeyHash<(int, CaseInsensitiveName)>.Of((1, new("bOB"))));
    }

    [Fact]
    public void Of_DerivedRecord_BaseFieldsFirst()
    {
        Assert.Equal(KeyHash<(string, int)>.Of(("x", 7)), KeyHash<Derived>.Of(new Derived("x", 7)));
    }

    [Theory]
    [InlineData(typeof(object), "object can hold values of any type")]
    [InlineData(typeof(IComparable), "IComparable can hold values of any type")]
    [InlineData(typeof((string, object)), "its field Item2 is of type object")]
    [InlineData(typeof(int[]), "int[] compares by reference")]
    [InlineData(typeof(List<int>), "List<int> is a class that compares by reference")]
    [InlineData(typeof(PlainClass), "PlainClass is a class that compares by reference")]
    [InlineData(typeof(OwnEquals), "OwnEquals has its own Equals")]
    [InlineData(typeof(RecordWithOwnEquals), "RecordWithOwnEquals has its own Equals")]
    [InlineData(typeof(HoldsInterface), "its field Inner.Shape is of type IComparable")]
    [InlineData(typeof(Func<int>), "Func<int> has no value to hash")]
    [InlineData(typeof(System.Numerics.BigInteger), "BigInteger has its own Equals")]
    public void RefusalOf_TypesWithoutAStableHash_SaysWhy(Type type, string expected)
    {
        Assert.Contains(expected, KeyTypes.RefusalOf(type), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof((string, int)))]
    [InlineData(typeof(Order))]
    [InlineData(typeof(Node))]
    [InlineData(typeof(Derived))]
    [InlineData(typeof(PointStruct))]
    [InlineData(typeof(PointStruct?))]
    [InlineData(typeof(CaseInsensitiveName))]
    [InlineData(typeof(KeyValuePair<string, Guid>))]
    [InlineData(typeof(Tuple<byte[], Color?, DateTimeOffset, TimeOnly, DateOnly, Half, Int128>))]
    public void RefusalOf_StableKeyTypes_Null(Type type)
    {
        Assert.Null(KeyTypes.RefusalOf(type));
    }

    [Fact]
    public void Of_RefusedType_ThrowsWithTheReason()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StableHash.Of((1, new PlainClass())));
        Assert.Contains("(int, PlainClass)", error.Message, StringComparison.Ordinal);
        Assert.Contains("PlainClass is a class that compares by reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_KeyWithObjectField_RefusedNamingOperatorTypeAndField()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.FromCollection([1, 2, 3]).KeyBy(i => (i, (object)i)).Reduce((a, b) => a + b).SinkTo(new CollectingSink<int>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => env.ExecuteAsync());
        Assert.Contains("'Reduce' is keyed by (int, object), which cannot be hashed stably: its field Item2 is of type object", error.Message, StringComparison.Ordinal);
        Assert.Contains("Keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectedStreamsKeyedByReferenceClass_Refused()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var a = env.FromCollection([1, 2]);
        var b = env.FromCollection(["x"]);
        var shared = new PlainClass();
        a.Connect(b).KeyBy(_ => shared, _ => shared).Process(new NoOutput()).SinkTo(new CollectingSink<int>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => env.ExecuteAsync());
        Assert.Contains("is keyed by PlainClass, which cannot be hashed stably: PlainClass is a class that compares by reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RecordKeyAtParallelism4_EachKeysRecordsReducedTogether()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 4 });
        var sink = new CollectingSink<(Order Key, long Sum)>();
        env.FromGenerator(i => (Key: new Order("c" + (i % 20), (int)(i % 3), new Money(i % 2, "EUR")), Sum: 1L), count: 6_000)
            .KeyBy(e => e.Key)
            .Reduce((x, y) => (x.Key, x.Sum + y.Sum))
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        var finals = sink.Results.GroupBy(r => r.Key).Select(g => g.Max(r => r.Sum)).ToArray();
        Assert.Equal(60, finals.Length);
        Assert.All(finals, sum => Assert.Equal(100, sum));
    }

    private static string Copy(string s) => new(s.AsSpan());

    private static int HashOf<T>(T value) => KeyHash<T>.Of(value);

    private static decimal Decimal(UInt128 coefficient, bool negative, int scale) =>
        new((int)(uint)coefficient, (int)(uint)(coefficient >> 32), (int)(uint)(coefficient >> 64), negative, (byte)scale);

    public sealed record Point(int X, int Y);

    public readonly record struct Money(decimal Amount, string Currency);

    public sealed record Order(string Customer, int Region, Money Price);

    public sealed record Node(int Value, Node? Next);

    public record Base(string Name);

    public sealed record Derived(string Name, int Count) : Base(Name);

    public struct PointStruct(int x, int y)
    {
        public int X { get; } = x;

        public int Y { get; } = y;
    }

    public sealed class PlainClass
    {
        public int Value { get; set; }
    }

    public sealed class OwnEquals
    {
        public string Name { get; set; } = "";

        public override bool Equals(object? obj) => obj is OwnEquals other && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);
    }

    public sealed record RecordWithOwnEquals(string Name)
    {
        public bool Equals(RecordWithOwnEquals? other) => other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);
    }

    public readonly record struct Shaped(int Id, IComparable Shape);

    public sealed record HoldsInterface(string Name, Shaped Inner);

    public sealed class CaseInsensitiveName(string name) : IStableHashable, IEquatable<CaseInsensitiveName>
    {
        public string Name { get; } = name;

        public int StableHashCode() => StableHash.Of(Name.ToUpperInvariant());

        public bool Equals(CaseInsensitiveName? other) => other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

        public override bool Equals(object? obj) => Equals(obj as CaseInsensitiveName);

        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);
    }

    private sealed class NoOutput : Functions.KeyedCoProcessFunction<PlainClass, int, string, int>
    {
        public override void ProcessElement1(int value, Functions.KeyedProcessContext<PlainClass> context, Functions.Collector<int> output)
        {
        }

        public override void ProcessElement2(string value, Functions.KeyedProcessContext<PlainClass> context, Functions.Collector<int> output)
        {
        }
    }
}
