using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// FindCoordinator for a group, as the group's member and its offset committer both need it: asks any broker which
/// broker coordinates <see cref="GroupMemberOptions.GroupId"/> and opens a connection to it (or reuses the connection
/// asked when that broker is the coordinator). Stateless; thread-safe.
/// </summary>
internal static class GroupCoordinatorLookup
{
    /// <summary>The coordinator's connection, agreed on <paramref name="neededApis"/>.</summary>
    /// <exception cref="CoordinatorUnavailableException">No coordinator is available now; retry after a backoff.</exception>
    /// <exception cref="GroupMembershipException">The group may not be used at all (an invalid id, not authorised).</exception>
    /// <exception cref="KafkaConnectionException">The coordinator could not be reached.</exception>
    public static async Task<KafkaConnection> ConnectAsync(KafkaConnection anyBroker, GroupMemberOptions options, IReadOnlyList<Kafka.Protocol.ApiVersionRange> neededApis, CancellationToken cancellationToken)
    {
        var request = new FindCoordinatorRequest { Key = options.GroupId, KeyType = FindCoordinatorRequest.GroupKeyType };
        var found = await anyBroker.SendAsync<FindCoordinatorRequest, FindCoordinatorResponse>(request, options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        switch (GroupErrorPolicy.Classify(found.ErrorCode))
        {
            case GroupErrorAction.None:
                break;
            case GroupErrorAction.Fatal:
                throw new GroupMembershipException(GroupErrorPolicy.FatalMessage(found.ErrorCode, "FindCoordinator", options), found.ErrorCode);
            default:
                throw new CoordinatorUnavailableException($"FindCoordinator for group \"{options.GroupId}\" answered {KafkaErrorCode.Describe(found.ErrorCode)}{(found.ErrorMessage is { } m ? ": " + m : "")}.");
        }

        var address = new BrokerAddress(found.Host, found.Port);
        return address == anyBroker.Address
            ? anyBroker
            : await KafkaConnection.ConnectAsync(address, neededApis, options.ConnectionOptions(), cancellationToken).ConfigureAwait(false);
    }
}
