using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Collections;

/// <summary>
/// Keeps every record in memory, for tests and small jobs. Thread-safe: all subtasks append to one list under a
/// lock taken once per batch. Order is the arrival order (per subtask in stream order; across subtasks interleaved).
/// </summary>
public sealed class CollectingSink<T> : Sink<T>
{
    private readonly object _lock = new();
    private readonly List<T> _values = [];
    private readonly List<long> _timestamps = [];
    private int _finishedWriters;

    /// <summary>A copy of the records received so far.</summary>
    public IReadOnlyList<T> Results
    {
        get
        {
            lock (_lock)
            {
                return _values.ToArray();
            }
        }
    }

    /// <summary>A copy of the records received so far with their event times (ms).</summary>
    public IReadOnlyList<(T Value, long Timestamp)> TimestampedResults
    {
        get
        {
            lock (_lock)
            {
                var result = new (T, long)[_values.Count];
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = (_values[i], _timestamps[i]);
                }

                return result;
            }
        }
    }

    /// <summary>Number of sink subtasks that reached the end of their input.</summary>
    public int FinishedWriters => Volatile.Read(ref _finishedWriters);

    /// <inheritdoc/>
    public override SinkWriter<T> CreateWriter(SinkContext context) => new Writer(this);

    private void Append(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        lock (_lock)
        {
            foreach (var value in values)
            {
                _values.Add(value);
            }

            foreach (var timestamp in timestamps)
            {
                _timestamps.Add(timestamp);
            }
        }
    }

    private sealed class Writer : SinkWriter<T>
    {
        private readonly CollectingSink<T> _sink;

        public Writer(CollectingSink<T> sink)
        {
            _sink = sink;
        }

        public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps) => _sink.Append(values, timestamps);

        public override void Flush(bool endOfInput)
        {
            if (endOfInput)
            {
                Interlocked.Increment(ref _sink._finishedWriters);
            }
        }
    }
}
