namespace Freshet.Streaming.Jobs;

/// <summary>
/// What a job with checkpoints does after a task fails (Flink's restart strategies): stop, or cancel every task, wait,
/// and run the job again in the same process from the newest complete checkpoint. Immutable.
/// </summary>
public abstract record RestartStrategy
{
    private RestartStrategy()
    {
    }

    /// <summary>The first failure fails the job.</summary>
    public static RestartStrategy None { get; } = new NoRestart();

    /// <summary>Restarts up to <paramref name="maxAttempts"/> times, waiting <paramref name="delay"/> before each.</summary>
    public static RestartStrategy FixedDelay(int maxAttempts, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAttempts);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new FixedDelayRestart(maxAttempts, delay);
    }

    /// <summary>
    /// Restarts up to <paramref name="maxAttempts"/> times, waiting <paramref name="initialDelay"/> before the first
    /// and <paramref name="multiplier"/> times longer before each next one, at most <paramref name="maxDelay"/>.
    /// </summary>
    public static RestartStrategy ExponentialDelay(TimeSpan initialDelay, TimeSpan maxDelay, double multiplier = 2.0, int maxAttempts = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(multiplier, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(maxAttempts);
        return new ExponentialDelayRestart(initialDelay, maxDelay, multiplier, maxAttempts);
    }

    /// <summary>The wait before restart number <paramref name="attempt"/> (1 = the first restart), or null when the job must fail instead.</summary>
    public abstract TimeSpan? DelayBeforeRestart(int attempt);

    private sealed record NoRestart : RestartStrategy
    {
        public override TimeSpan? DelayBeforeRestart(int attempt) => null;
    }

    private sealed record FixedDelayRestart(int MaxAttempts, TimeSpan Delay) : RestartStrategy
    {
        public override TimeSpan? DelayBeforeRestart(int attempt) => attempt <= MaxAttempts ? Delay : null;
    }

    private sealed record ExponentialDelayRestart(TimeSpan InitialDelay, TimeSpan MaxDelay, double Multiplier, int MaxAttempts) : RestartStrategy
    {
        public override TimeSpan? DelayBeforeRestart(int attempt)
        {
            if (attempt > MaxAttempts)
            {
                return null;
            }

            var ms = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, attempt - 1);
            return ms >= MaxDelay.TotalMilliseconds || double.IsInfinity(ms) ? MaxDelay : TimeSpan.FromMilliseconds(ms);
        }
    }
}
