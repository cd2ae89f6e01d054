using Freshet.Log;
using Freshet.Log.Partitions;
using Freshet.Log.Records;

namespace Freshet.Cli.Demo;

/// <summary>
/// Appends readings of a <see cref="SensorFleet"/> to the demo's input topic at a steady rate, in batches every
/// <see cref="TickMs"/>, on its own thread until stopped. A reading goes to partition <c>sensor index mod
/// partitions</c>, so each sensor's readings stay in order within one partition.
/// </summary>
internal sealed class SensorProducer : IDisposable
{
    private const int TickMs = 50;

    private readonly Partition[] _partitions;
    private readonly SensorFleet _fleet;
    private readonly double _readingsPerSecond;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _produced;
    private int _disposed;

    public SensorProducer(LogStore store, SensorFleet fleet, double readingsPerSecond, TimeProvider clock)
    {
        var count = store.DescribeTopic(SensorDemoJob.InputTopic).Partitions.Count;
        _partitions = Enumerable.Range(0, count).Select(p => store.GetPartition(SensorDemoJob.InputTopic, p)).ToArray();
        _fleet = fleet;
        _readingsPerSecond = readingsPerSecond;
        _clock = clock;
        _thread = new Thread(Run) { IsBackground = true, Name = "demo-sensor-producer" };
    }

    /// <summary>Readings appended so far (thread-safe read).</summary>
    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>The exception that stopped the producer, if any.</summary>
    public Exception? Failure { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>Stops the producer thread and waits for it; idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        var builders = _partitions.Select(_ => new RecordBatchBuilder(CompressionType.Lz4)).ToArray();
        var started = _clock.GetTimestamp();
        long due = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var elapsed = _clock.GetElapsedTime(started).TotalSeconds;
                var target = (long)(elapsed * _readingsPerSecond);
                var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
                for (; due < target; due++)
                {
                    var reading = _fleet.Next(nowMs, out var sensorIndex);
                    var key = System.Text.Encoding.UTF8.GetBytes(reading.SensorId);
                    builders[sensorIndex % builders.Length].Add(reading.TimeMs, key, SensorDemoJob.EncodeReading(reading));
                }

                for (var p = 0; p < builders.Length; p++)
                {
                    if (builders[p].Count > 0)
                    {
                        var count = builders[p].Count;
                        _partitions[p].Append(builders[p].Build());
                        builders[p].Reset();
                        Interlocked.Add(ref _produced, count);
                    }
                }

                _stop.Token.WaitHandle.WaitOne(TickMs);
            }
        }
        catch (Exception e) when (e is LogException or IOException or ObjectDisposedException)
        {
            Failure = e;
        }
    }
}
