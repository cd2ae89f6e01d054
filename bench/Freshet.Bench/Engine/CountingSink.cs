using Freshet.Streaming.Sinks;

namespace Freshet.Bench.Engine;

/// <summary>Counts records and sums a checksum of them, so the work cannot be optimised away.</summary>
internal sealed class CountingSink<T> : Sink<T>
{
    private readonly Func<T, long> _checksum;
    private long _count;
    private long _sum;

    public CountingSink(Func<T, long> checksum)
    {
        _checksum = checksum;
    }

    public long Count => Interlocked.Read(ref _count);

    public long Checksum => Interlocked.Read(ref _sum);

    public override SinkWriter<T> CreateWriter(SinkContext context) => new Writer(this);

    private sealed class Writer : SinkWriter<T>
    {
        private readonly CountingSink<T> _sink;

        public Writer(CountingSink<T> sink)
        {
            _sink = sink;
        }

        public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
        {
            long sum = 0;
            foreach (var value in values)
            {
                sum += _sink._checksum(value);
            }

            Interlocked.Add(ref _sink._count, values.Length);
            Interlocked.Add(ref _sink._sum, sum);
        }
    }
}
