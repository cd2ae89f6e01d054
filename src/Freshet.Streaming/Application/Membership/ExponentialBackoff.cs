namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// Waits between retries: <c>initial · 2^failures</c>, capped, with ±20 % jitter so that members cut off together do
/// not retry in step (Kafka's <c>retry.backoff.ms</c> and <c>reconnect.backoff.max.ms</c>). Not thread-safe: one
/// loop owns it.
/// </summary>
internal sealed class ExponentialBackoff
{
    private const double Jitter = 0.2;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private int _failures;

    public ExponentialBackoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
    }

    /// <summary>The wait before the next retry; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var ticks = Math.Min(_initial.Ticks * Math.Pow(2, exponent), _max.Ticks);
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        var factor = 1 + ((Random.Shared.NextDouble() * 2) - 1) * Jitter;
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)(ticks * factor));
    }

    /// <summary>Forgets the failures after a success.</summary>
    public void Reset() => _failures = 0;
}
