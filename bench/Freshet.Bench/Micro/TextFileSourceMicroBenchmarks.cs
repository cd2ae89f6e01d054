using BenchmarkDotNet.Attributes;
using Freshet.Bench.Reporting;
using Freshet.Streaming.Connectors.Files;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Time;

namespace Freshet.Bench.Micro;

/// <summary>
/// Reading every line of a 17 MB text file (400,000 lines of about 44 bytes, in the page cache after the first run):
/// the baseline is <see cref="File.ReadLines(string)"/> counting lines; against it the text file source reader
/// pushing the lines through a <see cref="SourceOutput{T}"/> into an operator that drops them (what a source task
/// does, without the task). Run with <c>-- micro --filter '*TextFileSourceMicro*'</c>.
/// </summary>
[MemoryDiagnoser]
public class TextFileSourceMicroBenchmarks
{
    private const int Lines = 400_000;

    private ScratchDirectory? _scratch;
    private string _path = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _scratch = new ScratchDirectory();
        _path = Path.Combine(_scratch.Path, "lines.txt");
        using var writer = new StreamWriter(_path);
        for (var i = 0; i < Lines; i++)
        {
            writer.Write("2026-11-23T00:00:00Z sensor-");
            writer.Write(i % 1000);
            writer.Write(" value=");
            writer.WriteLine(i);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _scratch?.Dispose();

    [Benchmark(Baseline = true)]
    public long FileReadLines()
    {
        long count = 0;
        foreach (var line in File.ReadLines(_path))
        {
            count += line.Length;
        }

        return count;
    }

    [Benchmark]
    public long TextFileSourceReader()
    {
        var time = new ProcessingTimeService(TimeProvider.System);
        var setup = new OperatorSetup { Name = "discard", SubtaskIndex = 0, Parallelism = 1, MaxParallelism = 128, BatchSize = 1024, ProcessingTime = time };
        var head = new DiscardingOperator<string>(setup);
        using var reader = new TextFileSourceReader([_path], 16 * 1024 * 1024, 0, 1);
        reader.Open();
        var output = new SourceOutput<string>(head, 1024, new OperatorMetricsCounter("source", 0, 1), WatermarkStrategy.NoWatermarks<string>(), reader, time.Now);
        while (reader.Poll(output, 1024) != SourcePoll.EndOfInput)
        {
            output.EndPoll(time.Now);
        }

        output.EndPoll(time.Now);
        return head.Metrics.RecordsIn;
    }
}
