using System.Text;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.Files;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Connectors;

public sealed class TextFileSourceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-files-" + Guid.NewGuid().ToString("N"));

    public TextFileSourceTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task FromTextFiles_DirectoryWithPattern_EveryLineOfMatchingFilesOnce(int parallelism)
    {
        var expected = WriteSampleFiles();
        File.WriteAllText(Path.Combine(_directory, "ignored.csv"), "not,a,match\n");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CollectingSink<string>();
        env.FromTextFiles(_directory, "*.txt").SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(expected.Order(StringComparer.Ordinal), sink.Results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FromTextFiles_SingleFile_LinesInOrder()
    {
        var path = Path.Combine(_directory, "one.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 5000).Select(i => "line " + i));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<string>();
        env.FromTextFiles(path).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => "line " + i), sink.Results);
    }

    [Fact]
    public void FromTextFiles_MissingPath_ClearError()
    {
        var env = StreamEnvironment.Create();
        var error = Assert.Throws<FileNotFoundException>(() => env.FromTextFiles(Path.Combine(_directory, "nope")));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_LineEndingsBomAndLastLineWithoutNewline_Handled()
    {
        var path = Path.Combine(_directory, "mixed.txt");
        File.WriteAllBytes(path, [.. Encoding.UTF8.Preamble, .. "α\r\nb\n\nlast"u8]);
        var driver = new ReaderDriver<string>(new TextFileSourceReader([path], 1024, 0, 1));
        driver.PollToEnd();
        Assert.Equal(["α", "b", "", "last"], driver.Records);
    }

    [Fact]
    public void Reader_LineLongerThanLimit_ErrorNamesFile()
    {
        var path = Path.Combine(_directory, "long.txt");
        File.WriteAllText(path, "short\n" + new string('x', 300_000) + "\n");
        var driver = new ReaderDriver<string>(new TextFileSourceReader([path], 100_000, 0, 1));
        var error = Assert.Throws<InvalidDataException>(driver.PollToEnd);
        Assert.Contains("long.txt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(24)]
    public void Reader_SnapshotAfterSomeLines_RestoredReaderEmitsExactlyTheRest(int before)
    {
        WriteSampleFiles();
        var files = TextFileSource.ListFiles(_directory, "*.txt");
        var full = new ReaderDriver<string>(new TextFileSourceReader(files, 1024, 0, 1));
        full.PollToEnd();

        var first = new TextFileSourceReader(files, 1024, 0, 1);
        var firstDriver = new ReaderDriver<string>(first);
        firstDriver.PollUntil(before);
        var position = first.SnapshotPosition();
        Assert.Equal(before, firstDriver.Records.Count);

        var second = new TextFileSourceReader(files, 1024, 0, 1);
        second.RestorePosition(position);
        var secondDriver = new ReaderDriver<string>(second);
        secondDriver.PollToEnd();
        Assert.Equal(full.Records, [.. firstDriver.Records, .. secondDriver.Records]);
    }

    [Fact]
    public void Reader_RestoreGarbagePosition_ClearError()
    {
        var reader = new TextFileSourceReader([Path.Combine(_directory, "a.txt")], 1024, 0, 1);
        Assert.Throws<ArgumentException>(() => reader.RestorePosition([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => reader.RestorePosition([1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Reader_RestoreBeyondFileEnd_ErrorSaysFileChanged()
    {
        var path = Path.Combine(_directory, "a.txt");
        File.WriteAllText(path, "x\n");
        var reader = new TextFileSourceReader([path], 1024, 0, 1);
        reader.RestorePosition([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99]);
        var driver = new ReaderDriver<string>(reader);
        var error = Assert.Throws<InvalidDataException>(driver.PollToEnd);
        Assert.Contains("changed", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes four .txt files (one empty, one CRLF, one without a final newline); returns their lines.</summary>
    private List<string> WriteSampleFiles()
    {
        var lines = new List<string>();
        var a = Enumerable.Range(0, 10).Select(i => "a" + i).ToArray();
        File.WriteAllText(Path.Combine(_directory, "a.txt"), string.Join("\n", a) + "\n");
        var b = Enumerable.Range(0, 8).Select(i => "b" + i).ToArray();
        File.WriteAllText(Path.Combine(_directory, "b.txt"), string.Join("\r\n", b) + "\r\n");
        File.WriteAllText(Path.Combine(_directory, "c.txt"), string.Empty);
        var d = Enumerable.Range(0, 6).Select(i => "d" + i + " ünïcödé").ToArray();
        File.WriteAllText(Path.Combine(_directory, "d.txt"), string.Join("\n", d));
        lines.AddRange(a);
        lines.AddRange(b);
        lines.AddRange(d);
        return lines;
    }
}
