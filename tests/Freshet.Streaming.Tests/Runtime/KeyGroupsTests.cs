using CsCheck;
using Freshet.Streaming.Keys;

namespace Freshet.Streaming.Tests.Runtime;

public sealed class KeyGroupsTests
{
    [Fact]
    public void RangeOf_EverySubtask_PartitionsAllKeyGroupsAndAgreesWithSubtaskOf()
    {
        Gen.Select(Gen.Int[1, 4096], Gen.Int[1, 64]).Where((max, p) => p <= max).Sample((max, p) =>
        {
            var next = 0;
            for (var s = 0; s < p; s++)
            {
                var (first, last) = KeyGroups.RangeOf(s, max, p);
                Assert.Equal(next, first);
                for (var g = first; g <= last; g++)
                {
                    Assert.Equal(s, KeyGroups.SubtaskOf(g, max, p));
                }

                next = last + 1;
            }

            Assert.Equal(max, next);
        });
    }

    [Fact]
    public void Of_AnyHash_InRange()
    {
        Gen.Int.Sample(h => Assert.InRange(KeyGroups.Of(h, 128), 0, 127));
        Assert.Equal(0, KeyGroups.Murmur(int.MinValue) & int.MinValue);
    }

    [Fact]
    public void KeyHash_StringAndLong_StableJavaHashCodes()
    {
        // Java: "hello".hashCode() == 99162322; Long.hashCode(1L << 40) == 256.
        Assert.Equal(99162322, KeyHash<string>.Of("hello"));
        Assert.Equal(256, KeyHash<long>.Of(1L << 40));
        Assert.Equal(-7, KeyHash<int>.Of(-7));
    }
}
