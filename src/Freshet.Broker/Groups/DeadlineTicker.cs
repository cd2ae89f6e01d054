namespace Freshet.Broker.Groups;

/// <summary>
/// A background loop that calls a coordinator's deadline check every <see cref="GroupCoordinator.TickInterval"/> on
/// the injected clock, until disposed. Both group coordinators (classic and KIP-848) apply session, rebalance and
/// join deadlines this way; tests that drive time themselves create no ticker and call the check directly.
/// Thread-safety: the check runs on one background task at a time; dispose once.
/// </summary>
internal sealed class DeadlineTicker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public DeadlineTicker(TimeProvider clock, Action tick)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(GroupCoordinator.TickInterval, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
                {
                    tick();
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        });
    }

    /// <summary>Stops the loop and waits for a check in progress to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
