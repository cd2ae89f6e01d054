using System.Diagnostics.Metrics;

namespace Freshet.Bench.Engine;

/// <summary>
/// What an exporter does to a running job, without an exporter: a <see cref="MeterListener"/> on one meter that
/// collects every observable instrument each <c>period</c> (from a timer thread) and receives every recorded
/// measurement, adding the values up so that nothing is optimised away. Dispose to stop. Thread-safe: callbacks run
/// on the timer thread and on recording threads; the totals are updated with interlocked operations.
/// </summary>
internal sealed class PeriodicMeterCollection : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Timer _timer;
    private long _measurements;
    private long _collections;

    public PeriodicMeterCollection(string meterName, TimeSpan period)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _listener.SetMeasurementEventCallback<int>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _listener.Start();
        _timer = new Timer(_ => Collect(), null, period, period);
    }

    /// <summary>Measurements received so far (observed and recorded).</summary>
    public long Measurements => Interlocked.Read(ref _measurements);

    /// <summary>Collections of the observable instruments so far.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    public void Dispose()
    {
        _timer.Dispose();
        _listener.Dispose();
    }

    private void Collect()
    {
        _listener.RecordObservableInstruments();
        Interlocked.Increment(ref _collections);
    }
}
