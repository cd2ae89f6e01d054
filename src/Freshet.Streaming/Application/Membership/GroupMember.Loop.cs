using System.Globalization;

namespace Freshet.Streaming.Application.Membership;

/// <summary>The member's loop: coordinator discovery, the choice between joining and heartbeating, backoff, and the lease on the assignment.</summary>
internal sealed partial class GroupMember
{
    // Loop state: read and written by the loop only, and by StopCoreAsync after the loop ended.
    private KafkaConnection? _anyBroker;
    private KafkaConnection? _coordinator;
    private string _memberId = "";

    // Clock timestamps (TimeProvider.GetTimestamp). The session anchor is when the last request the coordinator
    // answered without error (heartbeat or SyncGroup) was sent; the class invariant (the lease) is stated against it.
    private long _sessionAnchor;
    private long _lastHeartbeatSent;

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = new ExponentialBackoff(_options.RetryBackoff, _options.RetryBackoffMax);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var coordinator = await EnsureCoordinatorAsync(stop).ConfigureAwait(false);
                    if (Generation is null || Volatile.Read(ref _rejoinRequested) != 0)
                    {
                        await JoinGroupAsync(coordinator, backoff, stop).ConfigureAwait(false);
                    }
                    else
                    {
                        await HeartbeatWhenDueAsync(coordinator, stop).ConfigureAwait(false);
                    }

                    backoff.Reset();
                }
                catch (Exception ex) when (ex is CoordinatorUnavailableException or KafkaConnectionException && !stop.IsCancellationRequested)
                {
                    await ForgetCoordinatorAsync().ConfigureAwait(false);
                    await WaitBeforeRetryAsync(backoff.Next(), stop).ConfigureAwait(false);
                    RevokeIfSessionExpired(ex.Message);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or KafkaConnectionException or CoordinatorUnavailableException && stop.IsCancellationRequested)
        {
            // Stopping (a request cut short by the stop may also surface as a connection failure): StopCoreAsync
            // revokes and leaves.
        }
        catch (Exception ex)
        {
            Fail(ex);
            await CloseConnectionsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The member cannot go on: revoke what it holds and fail <see cref="Completion"/> (the loop then closes its connections).</summary>
    private void Fail(Exception cause)
    {
        var failure = cause as GroupMembershipException
            ?? new GroupMembershipException($"The member of group \"{_options.GroupId}\" stopped: {cause.Message}", KafkaErrorCode.UnknownServerError, cause);
        if (Generation is not null)
        {
            try
            {
                Revoke(failure.Message);
            }
#pragma warning disable CA1031 // The member already fails with the first cause; a second failure of the listener must not hide it.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _completion.TrySetException(failure);
    }

    /// <summary>The coordinator's connection, found through FindCoordinator on any bootstrap broker when there is none.</summary>
    private async Task<KafkaConnection> EnsureCoordinatorAsync(CancellationToken stop)
    {
        if (_coordinator is { IsOpen: true } known)
        {
            return known;
        }

        _coordinator = null;
        if (_anyBroker is not { IsOpen: true })
        {
            _anyBroker = await KafkaConnection.ConnectAnyAsync(_bootstrap, _neededApis, _connectionOptions, stop).ConfigureAwait(false);
        }

        _coordinator = await GroupCoordinatorLookup.ConnectAsync(_anyBroker, _options, _neededApis, stop).ConfigureAwait(false);
        return _coordinator;
    }

    /// <summary>Drops the coordinator's connection (closing it unless it is also the bootstrap connection), so the next step finds the coordinator again.</summary>
    private async Task ForgetCoordinatorAsync()
    {
        var coordinator = _coordinator;
        _coordinator = null;
        if (coordinator is not null && !ReferenceEquals(coordinator, _anyBroker))
        {
            await coordinator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseConnectionsAsync()
    {
        await ForgetCoordinatorAsync().ConfigureAwait(false);
        if (_anyBroker is { } any)
        {
            _anyBroker = null;
            await any.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the next heartbeat is due (or a rejoin or stop wakes the loop), then sends it and acts on the answer.</summary>
    private async Task HeartbeatWhenDueAsync(KafkaConnection coordinator, CancellationToken stop)
    {
        _wake.Reset();
        if (Volatile.Read(ref _rejoinRequested) != 0)
        {
            return;
        }

        var wait = _options.HeartbeatInterval - _clock.GetElapsedTime(_lastHeartbeatSent);
        if (wait > TimeSpan.Zero)
        {
            await WaitAsync(wait, wakeEarly: true, stop).ConfigureAwait(false);
            if (Volatile.Read(ref _rejoinRequested) != 0)
            {
                return;
            }
        }

        await HeartbeatAsync(coordinator, stop).ConfigureAwait(false);
    }

    /// <summary>Waits <paramref name="delay"/> before a retry; while the member holds an assignment, no longer than its session lasts.</summary>
    private async Task WaitBeforeRetryAsync(TimeSpan delay, CancellationToken stop)
    {
        if (Generation is not null)
        {
            var leaseLeft = LeaseLeft();
            delay = leaseLeft < delay ? leaseLeft : delay;
        }

        if (delay > TimeSpan.Zero)
        {
            await WaitAsync(delay, wakeEarly: false, stop).ConfigureAwait(false);
        }
    }

    private async Task WaitAsync(TimeSpan delay, bool wakeEarly, CancellationToken stop)
    {
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var timer = Task.Delay(delay, _clock, cancelDelay.Token);
        if (wakeEarly)
        {
            await Task.WhenAny(timer, _wake.WaitAsync()).ConfigureAwait(false);
        }
        else
        {
            await Task.WhenAny(timer).ConfigureAwait(false);
        }

        await cancelDelay.CancelAsync().ConfigureAwait(false);
        stop.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// What is left of the member's lease on its assignment (see the class remarks): the session timeout less one
    /// heartbeat interval, counted from when the last answered heartbeat was sent. Negative once it ran out.
    /// </summary>
    private TimeSpan LeaseLeft() =>
        _options.SessionTimeout - _options.HeartbeatInterval - _clock.GetElapsedTime(_sessionAnchor);

    /// <summary>
    /// The invariant's enforcement: once the lease ran out, the coordinator is about to remove this member (if it has
    /// not already) and give its work to others, so the member revokes, and will join as a new member (the
    /// coordinator forgets its id).
    /// </summary>
    private void RevokeIfSessionExpired(string lastFailure)
    {
        if (Generation is null || LeaseLeft() > TimeSpan.Zero)
        {
            return;
        }

        _memberId = "";
        Revoke(string.Create(CultureInfo.InvariantCulture, $"no heartbeat reached the coordinator of group \"{_options.GroupId}\" in time to renew the session (session timeout {_options.SessionTimeout.TotalMilliseconds} ms), so it may give this member's work to others; last failure: {lastFailure}"));
    }

    /// <summary>Drops the current assignment and tells the listener.</summary>
    private void Revoke(string reason)
    {
        Volatile.Write(ref _generation, null);
        _listener.OnRevoked(reason);
    }
}
