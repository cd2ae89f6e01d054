using CsCheck;
using Freshet.Streaming.Application.Assignment;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>The task name "{sub-topology}_{partition}": printing, parsing, ordering and the non-negative rule.</summary>
public sealed class TaskIdTests
{
    [Fact]
    public void ToString_SubTopologyAndPartition_JoinedByUnderscore()
    {
        Assert.Equal("0_3", new TaskId(0, 3).ToString());
        Assert.Equal("12_0", new TaskId(12, 0).ToString());
    }

    [Fact]
    public void Parse_OfToString_ReturnsTheTask()
    {
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Sample((subTopology, partition) =>
        {
            var task = new TaskId(subTopology, partition);
            Assert.Equal(task, TaskId.Parse(task.ToString()));
            Assert.True(TaskId.TryParse(task.ToString(), out var parsed));
            Assert.Equal(task, parsed);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("0_")]
    [InlineData("_3")]
    [InlineData("a_3")]
    [InlineData("0_3_1")]
    [InlineData("-1_3")]
    [InlineData("0_-3")]
    [InlineData("+0_3")]
    [InlineData(" 0_3")]
    [InlineData("0_3 ")]
    [InlineData("0-3")]
    [InlineData("99999999999_0")]
    public void Parse_NotATaskId_FormatExceptionNamingTheInput(string text)
    {
        var error = Assert.Throws<FormatException>(() => TaskId.Parse(text));
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(TaskId.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Null_FormatException()
    {
        Assert.Throws<FormatException>(() => TaskId.Parse(null!));
        Assert.False(TaskId.TryParse(null, out _));
    }

    [Fact]
    public void Constructor_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskId(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskId(0, -1));
    }

    [Fact]
    public void CompareTo_OrdersBySubTopologyThenPartition()
    {
        TaskId[] tasks = [new(1, 0), new(0, 10), new(0, 2), new(2, 1), new(1, 5)];
        Assert.Equal([new(0, 2), new(0, 10), new(1, 0), new(1, 5), new(2, 1)], tasks.Order());
        Assert.True(new TaskId(0, 9) < new TaskId(1, 0));
        Assert.True(new TaskId(1, 1) >= new TaskId(1, 1));
    }
}
