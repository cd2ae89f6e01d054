namespace Freshet.Cli.Demo;

/// <summary>
/// A deterministic fleet of temperature sensors that produces realistic readings: every sensor has its own base
/// temperature and a slow daily-like swing, readings carry noise, a few percent are glitches far below any real
/// value (the job's threshold drops them), and readings reach the log slightly out of order (up to
/// <see cref="MaxDelayMs"/> late), as readings relayed by gateways do. The same seed gives the same readings.
/// Not thread-safe: one producer thread owns an instance.
/// </summary>
internal sealed class SensorFleet
{
    /// <summary>The most a reading's event time lags the time it is produced, ms.</summary>
    public const long MaxDelayMs = 2_000;

    private readonly string[] _ids;
    private readonly double[] _baseCelsius;
    private readonly double[] _phase;
    private readonly Random _random;

    public SensorFleet(int sensors, int seed)
    {
        _random = new Random(seed);
        _ids = new string[sensors];
        _baseCelsius = new double[sensors];
        _phase = new double[sensors];
        for (var i = 0; i < sensors; i++)
        {
            _ids[i] = $"plant-{(i % 4) + 1}/sensor-{i:D3}";
            _baseCelsius[i] = 40 + (_random.NextDouble() * 40);
            _phase[i] = _random.NextDouble() * Math.Tau;
        }
    }

    /// <summary>Number of sensors.</summary>
    public int Count => _ids.Length;

    /// <summary>The next reading, measured around processing time <paramref name="nowMs"/>, and its sensor's index.</summary>
    public SensorReading Next(long nowMs, out int sensorIndex)
    {
        var sensor = _random.Next(_ids.Length);
        var timeMs = nowMs - (long)(_random.NextDouble() * MaxDelayMs);
        double celsius;
        if (_random.NextDouble() < 0.03)
        {
            // A glitch: a disconnected probe reads far below anything real.
            celsius = -100 - (_random.NextDouble() * 100);
        }
        else
        {
            var swing = 10 * Math.Sin((timeMs / 60_000.0) + _phase[sensor]);
            var noise = (_random.NextDouble() - 0.5) * 4;
            celsius = _baseCelsius[sensor] + swing + noise;
        }

        sensorIndex = sensor;
        return new SensorReading(_ids[sensor], Math.Round(celsius, 2), timeMs);
    }
}
