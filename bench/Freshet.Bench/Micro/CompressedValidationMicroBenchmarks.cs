using System.Text;
using BenchmarkDotNet.Attributes;
using Freshet.Log.Records;

namespace Freshet.Bench.Micro;

/// <summary>
/// Append-time validation of a valid compressed batch, the path every compressed Produce takes: 100 records
/// of 1 KiB text-like values (about 100 KiB before compression, a typical producer batch), per codec.
/// Run with <c>-- micro --filter '*CompressedValidation*'</c>.
/// </summary>
[MemoryDiagnoser]
public class CompressedValidationMicroBenchmarks
{
    private byte[] _batch = [];

    /// <summary>The codec of the batch.</summary>
    [Params(CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd)]
    public CompressionType Codec { get; set; }

    /// <summary>Builds the batch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var builder = new RecordBatchBuilder(Codec);
        for (var i = 0; i < 100; i++)
        {
            var value = new StringBuilder();
            while (value.Length < 1024)
            {
                value.Append("user-").Append(random.Next(1000)).Append(" clicked item ").Append(random.Next(50_000)).Append("; ");
            }

            builder.Add(1_700_000_000_000 + i, Encoding.UTF8.GetBytes("key-" + i), Encoding.UTF8.GetBytes(value.ToString(0, 1024)));
        }

        _batch = builder.Build();
    }

    /// <summary>Validates the batch against the default <c>max.message.bytes</c>.</summary>
    [Benchmark]
    public Freshet.Log.LogErrorCode Validate() => RecordBatchValidator.Validate(_batch, 1024 * 1024 + 12, out _);
}
