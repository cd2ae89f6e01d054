using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Groups;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// SyncGroup 0-3: the leader hands in every member's assignment; each member (leader included) is
/// answered with its own once the leader's call arrives and the generation is stored. A replaced static
/// instance (v3 carries the instance id) gets FENCED_INSTANCE_ID (82).
/// With authorization on, a principal that may not READ the group gets GROUP_AUTHORIZATION_FAILED (30).
/// </summary>
internal sealed class SyncGroupHandler : ApiHandler<SyncGroupRequest, SyncGroupResponse>
{
    private readonly BrokerServices _services;

    public SyncGroupHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override async ValueTask<SyncGroupResponse?> HandleAsync(RequestContext context, SyncGroupRequest request)
    {
        if (!_services.Authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId))
        {
            return new SyncGroupResponse { ErrorCode = KafkaErrorCode.GroupAuthorizationFailed, Assignment = [] };
        }

        var assignments = new Dictionary<string, byte[]>(request.Assignments.Count, StringComparer.Ordinal);
        foreach (var assignment in request.Assignments)
        {
            assignments[assignment.MemberId] = assignment.Assignment;
        }

        SyncGroupResult result;
        try
        {
            result = await _services.Groups.SyncGroupAsync(request.GroupId, request.MemberId, request.GroupInstanceId, request.GenerationId, assignments).WaitAsync(context.BrokerStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            result = SyncGroupResult.Error(GroupErrorCode.CoordinatorNotAvailable);
        }

        return new SyncGroupResponse { ErrorCode = result.ErrorCode, Assignment = result.Assignment };
    }
}
