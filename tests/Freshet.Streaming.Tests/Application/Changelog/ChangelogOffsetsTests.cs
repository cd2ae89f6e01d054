using CsCheck;
using Freshet.Streaming.Application.Changelog;

namespace Freshet.Streaming.Tests.Application.Changelog;

/// <summary>
/// The changelog offsets file: what is written reads back; a missing file means "from the beginning"; every damaged,
/// truncated or hostile file is reported invalid with a reason, never thrown; a write replaces the file whole.
/// </summary>
public sealed class ChangelogOffsetsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-changelog-offsets-" + Guid.NewGuid().ToString("N"));

    private static Dictionary<ChangelogPartition, long> Sample => new()
    {
        [new("orders-count-changelog", 3)] = 1_234,
        [new("orders-count-changelog", 0)] = 0,
        [new("orders-window-contents-changelog", 3)] = long.MaxValue,
        [new("ünïcode-topic", 7)] = 42,
    };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Read_AfterWrite_SameOffsets()
    {
        ChangelogOffsets.Write(_directory, Sample);
        var read = ChangelogOffsets.Read(_directory);
        Assert.Equal(ChangelogOffsetsOutcome.Read, read.Outcome);
        Assert.Null(read.Problem);
        Assert.Equal(Sample.OrderBy(e => e.Key.ToString()), read.Offsets.OrderBy(e => e.Key.ToString()));
        Assert.False(File.Exists(ChangelogOffsets.PathIn(_directory) + ".tmp"));
    }

    [Fact]
    public void Read_NoFile_MissingWithoutProblem()
    {
        var read = ChangelogOffsets.Read(_directory);
        Assert.Equal(ChangelogOffsetsOutcome.Missing, read.Outcome);
        Assert.Empty(read.Offsets);
        Assert.Null(read.Problem);
    }

    [Fact]
    public void Write_Again_ReplacesTheWholeFile_Empty_Allowed()
    {
        ChangelogOffsets.Write(_directory, Sample);
        ChangelogOffsets.Write(_directory, new Dictionary<ChangelogPartition, long> { [new("t", 1)] = 5 });
        Assert.Equal([KeyValuePair.Create(new ChangelogPartition("t", 1), 5L)], ChangelogOffsets.Read(_directory).Offsets);
        ChangelogOffsets.Write(_directory, new Dictionary<ChangelogPartition, long>());
        var read = ChangelogOffsets.Read(_directory);
        Assert.Equal(ChangelogOffsetsOutcome.Read, read.Outcome);
        Assert.Empty(read.Offsets);
    }

    [Fact]
    public void Read_LeftoverTemporaryFileOfACrashedWrite_Ignored()
    {
        ChangelogOffsets.Write(_directory, Sample);
        File.WriteAllBytes(ChangelogOffsets.PathIn(_directory) + ".tmp", [1, 2, 3]);
        Assert.Equal(ChangelogOffsetsOutcome.Read, ChangelogOffsets.Read(_directory).Outcome);
        ChangelogOffsets.Write(_directory, Sample);
        Assert.Equal(ChangelogOffsetsOutcome.Read, ChangelogOffsets.Read(_directory).Outcome);
    }

    [Fact]
    public void Delete_ThenRead_Missing()
    {
        ChangelogOffsets.Write(_directory, Sample);
        ChangelogOffsets.Delete(_directory);
        Assert.Equal(ChangelogOffsetsOutcome.Missing, ChangelogOffsets.Read(_directory).Outcome);
        ChangelogOffsets.Delete(_directory);
    }

    [Fact]
    public void Read_EveryTruncation_InvalidWithReason()
    {
        var bytes = ChangelogOffsets.Encode(Sample);
        for (var length = 0; length < bytes.Length; length++)
        {
            AssertInvalid(bytes[..length]);
        }
    }

    [Fact]
    public void Read_EveryFlippedBit_InvalidWithReason()
    {
        var bytes = ChangelogOffsets.Encode(Sample);
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            AssertInvalid(damaged);
        }
    }

    [Fact]
    public void Read_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 200].Sample(
            bytes =>
            {
                Directory.CreateDirectory(_directory);
                File.WriteAllBytes(ChangelogOffsets.PathIn(_directory), bytes);
                var read = ChangelogOffsets.Read(_directory);
                Assert.Equal(ChangelogOffsetsOutcome.Invalid, read.Outcome);
                Assert.Empty(read.Offsets);
            },
            iter: 500,
            threads: 1);
    }

    public static TheoryData<string, string> HostileButChecksummed => new()
    {
        { "count of 2147483647 entries does not fit", "FCLO 01 7fffffff" },
        { "count of -1 entries", "FCLO 01 ffffffff" },
        { "topic of 0 bytes", "FCLO 01 00000001 0000 00000000 0000000000000000 00" },
        { "topic of 250 bytes", "FCLO 01 00000001 00fa" },
        { "partition -1 and offset 0", "FCLO 01 00000001 0001 74 ffffffff 0000000000000000" },
        { "partition 0 and offset -1", "FCLO 01 00000001 0001 74 00000000 ffffffffffffffff" },
        { "partition t-0 appears twice", "FCLO 01 00000002 0001 74 00000000 0000000000000001 0001 74 00000000 0000000000000002" },
        { "not UTF-8", "FCLO 01 00000001 0001 ff 00000000 0000000000000000" },
        { "1 bytes follow its last entry", "FCLO 01 00000000 00" },
        { "layout version 2 is not known", "FCLO 02 00000000" },
    };

    [Theory]
    [MemberData(nameof(HostileButChecksummed))]
    public void Read_HostileContentWithAValidChecksum_InvalidWithReason(string reason, string layout)
    {
        var body = Convert.FromHexString(layout.Replace("FCLO", "46434c4f", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));
        if (reason == "topic of 250 bytes")
        {
            body = [.. body, .. new byte[250 + 12]];
        }

        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Freshet.Log.Records.Crc32C.Compute(body));
        Assert.Contains(reason, AssertInvalid([.. body, .. crc]), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileLargerThanTheLimit_InvalidWithoutReadingIt()
    {
        Directory.CreateDirectory(_directory);
        using (var file = new FileStream(ChangelogOffsets.PathIn(_directory), FileMode.Create))
        {
            file.SetLength(ChangelogOffsets.MaxFileBytes + 1L);
        }

        var read = ChangelogOffsets.Read(_directory);
        Assert.Equal(ChangelogOffsetsOutcome.Invalid, read.Outcome);
        Assert.Contains("more than", read.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BadPartitionOrOffsetOrTopic_ThrowsAndKeepsTheOldFile()
    {
        ChangelogOffsets.Write(_directory, Sample);
        Assert.Throws<ArgumentException>(() => ChangelogOffsets.Write(_directory, new Dictionary<ChangelogPartition, long> { [new("t", -1)] = 0 }));
        Assert.Throws<ArgumentException>(() => ChangelogOffsets.Write(_directory, new Dictionary<ChangelogPartition, long> { [new("t", 0)] = -1 }));
        Assert.Throws<ArgumentException>(() => ChangelogOffsets.Write(_directory, new Dictionary<ChangelogPartition, long> { [new("", 0)] = 0 }));
        Assert.Throws<ArgumentException>(() => ChangelogOffsets.Write(_directory, new Dictionary<ChangelogPartition, long> { [new(new string('t', 250), 0)] = 0 }));
        Assert.Equal(Sample.Count, ChangelogOffsets.Read(_directory).Offsets.Count);
    }

    private string AssertInvalid(byte[] bytes)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllBytes(ChangelogOffsets.PathIn(_directory), bytes);
        var read = ChangelogOffsets.Read(_directory);
        Assert.Equal(ChangelogOffsetsOutcome.Invalid, read.Outcome);
        Assert.Empty(read.Offsets);
        Assert.StartsWith("The changelog offsets file ", read.Problem, StringComparison.Ordinal);
        return read.Problem!;
    }
}
