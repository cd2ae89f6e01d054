using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// Commits input offsets to an application's group with a member's generation (OffsetCommit v7-8 carrying the
/// generation id, member id and group instance id), as Kafka Streams does under at-least-once: the coordinator
/// stores them only from a current member of the current generation, so an instance that lost its tasks to a
/// rebalance — a zombie — is refused (<see cref="OffsetCommitFencedException"/>) and cannot move the group's
/// positions past what the tasks' new owners will process.
/// <para>
/// One connection to the group's coordinator (found with <see cref="GroupCoordinatorLookup"/>, as the member finds it),
/// shared by every task of the instance; the connection serialises their requests. A moved or unavailable coordinator
/// or a lost connection is retried, with backoff, until <see cref="GroupMemberOptions.RequestTimeout"/> has passed.
/// Thread-safety: <see cref="CommitAsync"/> from any thread, concurrently.
/// </para>
/// </summary>
internal sealed class GroupOffsetCommitter : IAsyncDisposable
{
    private readonly GroupMemberOptions _options;
    private readonly IReadOnlyList<BrokerAddress> _bootstrap;
    private readonly IReadOnlyList<Kafka.Protocol.ApiVersionRange> _neededApis;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private KafkaConnection? _anyBroker;
    private KafkaConnection? _coordinator;
    private bool _disposed;

    /// <param name="options">The group's settings (group id, bootstrap servers, timeouts), as the member has them.</param>
    public GroupOffsetCommitter(GroupMemberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bootstrap = options.Validate();
        _options = options;
        _neededApis = GroupMemberApis.Needed(options.GroupInstanceId is not null, commitsOffsets: true);
    }

    /// <summary>
    /// Commits <paramref name="offsets"/> (per partition the next offset to read) as a member of
    /// <paramref name="generation"/>. Returns when the coordinator stored every one.
    /// </summary>
    /// <exception cref="OffsetCommitFencedException">The coordinator refused the generation or the member (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) or is rebalancing (REBALANCE_IN_PROGRESS): the tasks committing were reassigned or are about to be.</exception>
    /// <exception cref="TimeoutException">No coordinator accepted the commit within the request timeout.</exception>
    /// <exception cref="InvalidOperationException">The coordinator refused the commit for another reason (not authorised, an unknown partition); the message names the code.</exception>
    public async Task CommitAsync(GroupGeneration generation, IReadOnlyList<(string Topic, int Partition, long Offset)> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generation);
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return;
        }

        var request = Request(generation, offsets);
        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        var backoff = new ExponentialBackoff(_options.RetryBackoff, _options.RetryBackoffMax);
        string lastFailure;
        while (true)
        {
            try
            {
                var coordinator = await CoordinatorAsync(cancellationToken).ConfigureAwait(false);
                var left = deadline - DateTime.UtcNow;
                var response = await coordinator.SendAsync<OffsetCommitRequest, OffsetCommitResponse>(request, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
                var error = FirstError(response);
                switch (error)
                {
                    case KafkaErrorCode.None:
                        return;
                    case KafkaErrorCode.IllegalGeneration or KafkaErrorCode.UnknownMemberId or KafkaErrorCode.FencedInstanceId or KafkaErrorCode.RebalanceInProgress:
                        throw new OffsetCommitFencedException(
                            $"The coordinator of group \"{_options.GroupId}\" refused an offset commit of generation {generation.GenerationId} (member {generation.MemberId}): {KafkaErrorCode.Describe(error)}. The tasks committing have been, or are being, given to others.",
                            error);
                    case KafkaErrorCode.NotCoordinator or KafkaErrorCode.CoordinatorNotAvailable or KafkaErrorCode.CoordinatorLoadInProgress:
                        lastFailure = KafkaErrorCode.Describe(error);
                        await ForgetCoordinatorAsync().ConfigureAwait(false);
                        break;
                    default:
                        throw new InvalidOperationException($"The coordinator of group \"{_options.GroupId}\" refused an offset commit: {KafkaErrorCode.Describe(error)}.");
                }
            }
            catch (Exception e) when (e is KafkaConnectionException or CoordinatorUnavailableException && !cancellationToken.IsCancellationRequested)
            {
                lastFailure = e.Message;
                await ForgetCoordinatorAsync().ConfigureAwait(false);
            }

            var delay = backoff.Next();
            if (DateTime.UtcNow + delay >= deadline)
            {
                throw new TimeoutException($"No coordinator of group \"{_options.GroupId}\" accepted an offset commit within {_options.RequestTimeout.TotalSeconds} s; last failure: {lastFailure}");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            await CloseLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _connecting.Release();
        }
    }

    private OffsetCommitRequest Request(GroupGeneration generation, IReadOnlyList<(string Topic, int Partition, long Offset)> offsets)
    {
        var topics = new List<OffsetCommitRequestTopic>();
        foreach (var group in offsets.GroupBy(static o => o.Topic, StringComparer.Ordinal))
        {
            topics.Add(new OffsetCommitRequestTopic
            {
                Name = group.Key,
                Partitions = [.. group.Select(static o => new OffsetCommitRequestPartition { PartitionIndex = o.Partition, CommittedOffset = o.Offset })],
            });
        }

        return new OffsetCommitRequest
        {
            GroupId = _options.GroupId,
            GenerationIdOrMemberEpoch = generation.GenerationId,
            MemberId = generation.MemberId,
            GroupInstanceId = generation.GroupInstanceId,
            Topics = [.. topics],
        };
    }

    /// <summary>The first partition error of the response (the coordinator answers group errors on every partition), or NONE.</summary>
    private static short FirstError(OffsetCommitResponse response)
    {
        foreach (var topic in response.Topics)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.ErrorCode != KafkaErrorCode.None)
                {
                    return partition.ErrorCode;
                }
            }
        }

        return KafkaErrorCode.None;
    }

    private async Task<KafkaConnection> CoordinatorAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_coordinator is { IsOpen: true } known)
            {
                return known;
            }

            if (_anyBroker is not { IsOpen: true })
            {
                if (_anyBroker is not null)
                {
                    await _anyBroker.DisposeAsync().ConfigureAwait(false);
                }

                _anyBroker = await KafkaConnection.ConnectAnyAsync(_bootstrap, _neededApis, _options.ConnectionOptions(), cancellationToken).ConfigureAwait(false);
            }

            _coordinator = await GroupCoordinatorLookup.ConnectAsync(_anyBroker, _options, _neededApis, cancellationToken).ConfigureAwait(false);
            return _coordinator;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task ForgetCoordinatorAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            var coordinator = _coordinator;
            _coordinator = null;
            if (coordinator is not null && !ReferenceEquals(coordinator, _anyBroker))
            {
                await coordinator.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task CloseLockedAsync()
    {
        if (_coordinator is { } coordinator && !ReferenceEquals(coordinator, _anyBroker))
        {
            await coordinator.DisposeAsync().ConfigureAwait(false);
        }

        _coordinator = null;
        if (_anyBroker is { } any)
        {
            _anyBroker = null;
            await any.DisposeAsync().ConfigureAwait(false);
        }
    }
}
