using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Groups;
using Freshet.Broker.Groups.ConsumerProtocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ConsumerGroupHeartbeat 0-1 (KIP-848, <c>group.protocol=consumer</c>): a member joins (epoch 0),
/// heartbeats, reports its subscription and owned partitions, and leaves (epoch -1, or -2 for a static
/// member); the coordinator answers with the member's epoch and, when it changed, its assignment (see
/// <see cref="ConsumerProtocolCoordinator"/>). The shape of the request is checked here, as Kafka
/// checks it: an empty group id, a missing member id (v1; in v0 a joining member without one gets an
/// id from the coordinator), a join without a rebalance timeout or subscription, a join that claims
/// to own partitions, or an epoch below -2 get INVALID_REQUEST (42). Regular-expression subscriptions
/// (v1) are refused with INVALID_REQUEST.
/// With authorization on, as in Kafka: GROUP_AUTHORIZATION_FAILED (30) without READ on the group, TOPIC_AUTHORIZATION_FAILED
/// (29) when a subscribed topic may not be described.
/// </summary>
internal sealed class ConsumerGroupHeartbeatHandler : ApiHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>
{
    private readonly BrokerServices _services;

    public ConsumerGroupHeartbeatHandler(BrokerServices services) => _services = services;

    /// <summary>The first subscribed topic the principal may not DESCRIBE, or null.</summary>
    private string? UnauthorizedTopic(RequestContext context, IReadOnlyList<string>? topics)
    {
        if (topics is null || !_services.Authorizer.IsEnabled)
        {
            return null;
        }

        foreach (var topic in topics)
        {
            if (!_services.Authorizer.AllowsTopic(context, AclOperation.Describe, topic))
            {
                return topic;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    protected override ValueTask<ConsumerGroupHeartbeatResponse?> HandleAsync(RequestContext context, ConsumerGroupHeartbeatRequest request)
    {
        var memberId = request.MemberId;
        if (context.ApiVersion == 0 && memberId.Length == 0 && request.MemberEpoch == 0)
        {
            memberId = Guid.NewGuid().ToString("N");
        }

        var problem = Validate(request, memberId);
        ConsumerHeartbeatResult result;
        if (problem is not null)
        {
            result = ConsumerHeartbeatResult.Error(GroupErrorCode.InvalidRequest, problem);
        }
        else if (!_services.Authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId))
        {
            result = ConsumerHeartbeatResult.Error(KafkaErrorCode.GroupAuthorizationFailed, $"Joining group {request.GroupId} needs READ on it.");
        }
        else if (UnauthorizedTopic(context, request.SubscribedTopicNames) is { } unauthorizedTopic)
        {
            result = ConsumerHeartbeatResult.Error(KafkaErrorCode.TopicAuthorizationFailed, $"Subscribing to topic {unauthorizedTopic} needs DESCRIBE on it.");
        }
        else
        {
            PartitionAssignment? owned = null;
            if (request.TopicPartitions is { } topics)
            {
                owned = new PartitionAssignment();
                foreach (var topic in topics)
                {
                    foreach (var partition in topic.Partitions)
                    {
                        owned.Add(topic.TopicId, partition);
                    }
                }
            }

            result = _services.ConsumerGroups.Heartbeat(new ConsumerHeartbeatRequest(
                request.GroupId,
                memberId,
                request.MemberEpoch,
                request.InstanceId,
                request.RackId,
                request.RebalanceTimeoutMs,
                request.SubscribedTopicNames,
                request.SubscribedTopicRegex,
                request.ServerAssignor,
                owned,
                context.Header.ClientId ?? "",
                context.ClientHost));
        }

        ConsumerGroupHeartbeatAssignment? assignment = null;
        if (result.Assignment is { } assigned)
        {
            assignment = new ConsumerGroupHeartbeatAssignment
            {
                TopicPartitions = assigned.Topics
                    .Select(t => new ConsumerGroupHeartbeatTopicPartitions { TopicId = t.Key, Partitions = t.Value.ToArray() })
                    .ToArray(),
            };
        }

        return new(new ConsumerGroupHeartbeatResponse
        {
            ErrorCode = result.ErrorCode,
            ErrorMessage = result.ErrorMessage,
            MemberId = result.MemberId,
            MemberEpoch = result.MemberEpoch,
            HeartbeatIntervalMs = result.HeartbeatIntervalMs,
            Assignment = assignment,
        });
    }

    private static string? Validate(ConsumerGroupHeartbeatRequest request, string memberId)
    {
        if (string.IsNullOrEmpty(request.GroupId))
        {
            return "GroupId can't be empty.";
        }

        if (memberId.Length == 0)
        {
            return "MemberId can't be empty.";
        }

        if (request.MemberEpoch < ConsumerProtocolGroup.StaticLeaveEpoch)
        {
            return $"MemberEpoch {request.MemberEpoch} is invalid.";
        }

        if (!string.IsNullOrEmpty(request.SubscribedTopicRegex))
        {
            return "SubscribedTopicRegex is not supported by this broker; subscribe to topic names.";
        }

        if (request.MemberEpoch == 0)
        {
            if (request.RebalanceTimeoutMs < 0)
            {
                return "RebalanceTimeoutMs must be provided in the first request.";
            }

            if (request.SubscribedTopicNames is null)
            {
                return "SubscribedTopicNames must be set in the first request.";
            }

            if (request.TopicPartitions is { Count: > 0 })
            {
                return "TopicPartitions must be empty when (re-)joining.";
            }
        }

        return null;
    }
}
