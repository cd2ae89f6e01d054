using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Tests.Sources;

public sealed class SplitAssignmentTests
{
    /// <summary>
    /// Kafka's murmur2 test vectors (Apache Kafka's <c>UtilsTest.testMurmur2</c>): the assignment is that hash of the
    /// id's UTF-8 bytes, the same in every process and run, so a process-randomised hash would fail here.
    /// </summary>
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void SubtaskOf_SplitId_IsKafkasMurmur2ModuloParallelism(string splitId, int murmur2)
    {
        foreach (var parallelism in new[] { 1, 2, 3, 7, 128 })
        {
            Assert.Equal((murmur2 & 0x7fffffff) % parallelism, SplitAssignment.SubtaskOf(splitId, parallelism));
        }
    }

    [Fact]
    public void SubtaskOf_ManyFileNames_SpreadOverEverySubtask()
    {
        var counts = new int[4];
        for (var i = 0; i < 4_000; i++)
        {
            counts[SplitAssignment.SubtaskOf($"events-2026-11-{i:D5}.ndjson", 4)]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 800, 1_200));
    }

    [Fact]
    public void SubtaskOf_LongIdAndIndex_StayInRange()
    {
        var longId = new string('x', 5_000) + "é";
        Assert.InRange(SplitAssignment.SubtaskOf(longId, 5), 0, 4);
        Assert.Equal(SplitAssignment.SubtaskOf(longId, 5), SplitAssignment.SubtaskOf(longId, 5));
        Assert.Equal([0, 1, 2, 0, 1], Enumerable.Range(0, 5).Select(i => SplitAssignment.SubtaskOf(i, 3)));
    }

    [Fact]
    public void SubtaskOf_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SplitAssignment.SubtaskOf("a", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SplitAssignment.SubtaskOf(-1, 2));
        Assert.Throws<ArgumentNullException>(() => SplitAssignment.SubtaskOf(null!, 2));
    }
}
