using BenchmarkDotNet.Attributes;
using Freshet.Bench.Log;
using Freshet.Bench.Reporting;
using Freshet.Log;
using Freshet.Log.Durability;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Bench.Micro;

/// <summary>
/// Micro benchmarks of the log's hot path, on the log suite's 64 KiB batch of 1 KiB records:
/// the CRC-32C, the append-time validation, <see cref="Partition.Append"/> and a 1 MiB
/// <see cref="Partition.Read"/>. Run with <c>-- micro --filter '*LogMicro*'</c>.
/// </summary>
[MemoryDiagnoser]
public class LogMicroBenchmarks
{
    private byte[] _batch = [];
    private ScratchDirectory? _scratch;
    private LogStore? _store;
    private Partition? _appendPartition;
    private Partition? _readPartition;
    private long _readOffset;

    [GlobalSetup]
    public void Setup()
    {
        var workload = LogWorkload.Create(64 * 1024 * 1024);
        _batch = workload.Batch;
        _scratch = new ScratchDirectory();

        // Small segments and byte retention keep the append benchmark's disk use bounded while it runs for many iterations.
        _store = LogStore.Open(_scratch.Path, new LogStoreOptions
        {
            MaintenanceInterval = TimeSpan.FromMilliseconds(250),
            FileDeleteDelayMs = 0,
        });
        _store.CreateTopic("append", 1, TopicConfig.Default with { SegmentBytes = 64 * 1024 * 1024, RetentionBytes = 256L * 1024 * 1024, FlushPolicy = FlushPolicy.OperatingSystem });
        _store.CreateTopic("read", 1);
        _appendPartition = _store.GetPartition("append", 0);
        _readPartition = _store.GetPartition("read", 0);
        for (var i = 0; i < workload.BatchCount; i++)
        {
            _readPartition.Append(_batch);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        _scratch?.Dispose();
    }

    [Benchmark(Description = "Crc32C.Compute 64 KiB")]
    public uint Crc32C64K() => Crc32C.Compute(_batch);

    [Benchmark(Description = "Crc32C serial reference 64 KiB", Baseline = true)]
    public uint Crc32CSerial64K() => SerialCrc32C.Compute(_batch);

    [Benchmark(Description = "RecordBatchValidator.Validate 64 KiB")]
    public LogErrorCode Validate64K() => RecordBatchValidator.Validate(_batch, int.MaxValue, out _);

    [Benchmark(Description = "Partition.Append 64 KiB (os flush)")]
    public long Append64K() => _appendPartition!.Append(_batch).LastOffset;

    [Benchmark(Description = "Partition.Read 1 MiB (hot cache)")]
    public int Read1M()
    {
        var partition = _readPartition!;
        if (_readOffset >= partition.LogEndOffset)
        {
            _readOffset = 0;
        }

        var records = partition.Read(_readOffset, 1024 * 1024).Records;
        var span = records.Span;
        var at = 0;
        while (at < span.Length)
        {
            var header = RecordBatchHeader.Read(span[at..]);
            _readOffset = header.LastOffset + 1;
            at += header.TotalSize;
        }

        return records.Length;
    }
}
