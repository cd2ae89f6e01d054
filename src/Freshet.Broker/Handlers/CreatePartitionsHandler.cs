using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log;

namespace Freshet.Broker.Handlers;

/// <summary>
/// CreatePartitions 0-3: raises a topic's partition count (never lowers it: INVALID_PARTITIONS (37));
/// new partitions may only be assigned to this node (INVALID_REPLICA_ASSIGNMENT (39)).
/// A topic named twice in one request gets INVALID_REQUEST (42), as in Kafka. <c>validate_only</c> checks
/// and changes nothing.
/// With authorization on, a topic the principal may not ALTER gets TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class CreatePartitionsHandler : ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    private const short InvalidReplicaAssignment = 39;

    // LogStore.CreatePartitions' limit, checked here too so validate_only answers as growing would.
    private const int MaxPartitions = 100_000;

    private readonly BrokerServices _services;

    public CreatePartitionsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, CreatePartitionsRequest request)
    {
        var results = new CreatePartitionsTopicResult[request.Topics.Count];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            counts[topic.Name] = counts.GetValueOrDefault(topic.Name) + 1;
        }

        for (var i = 0; i < results.Length; i++)
        {
            var topic = request.Topics[i];
            var (code, message) = counts[topic.Name] > 1
                ? (KafkaErrorCode.InvalidRequest, $"Topic '{topic.Name}' appears more than once in the request.")
                : !_services.Authorizer.AllowsTopic(context, AclOperation.Alter, topic.Name)
                    ? (KafkaErrorCode.TopicAuthorizationFailed, $"Adding partitions to topic '{topic.Name}' needs ALTER on it.")
                    : Grow(topic, request.ValidateOnly);
            results[i] = new CreatePartitionsTopicResult { Name = topic.Name, ErrorCode = code, ErrorMessage = message };
        }

        return new(new CreatePartitionsResponse { Results = results });
    }

    private (short Code, string? Message) Grow(CreatePartitionsTopic topic, bool validateOnly)
    {
        if (topic.Assignments is { } assignments && assignments.Any(a => a.BrokerIds.Count != 1 || a.BrokerIds[0] != _services.NodeId))
        {
            return (InvalidReplicaAssignment, $"New partitions must be assigned to broker {_services.NodeId}, the only one.");
        }

        try
        {
            if (topic.Count <= MaxPartitions && _services.Store.TryDescribeTopic(topic.Name, out var existing)
                && _services.PartitionLimitProblem(topic.Count - existing.Partitions.Count) is { } limit)
            {
                return (KafkaErrorCode.PolicyViolation, limit);
            }

            if (validateOnly)
            {
                var current = _services.Store.DescribeTopic(topic.Name).Partitions.Count;
                return topic.Count > current && topic.Count <= MaxPartitions
                    ? (KafkaErrorCode.None, null)
                    : ((short)LogErrorCode.InvalidPartitions, $"Topic '{topic.Name}' has {current} partitions; the new count must be larger, at most {MaxPartitions} (got {topic.Count}).");
            }

            _services.Store.CreatePartitions(topic.Name, topic.Count);
            return (KafkaErrorCode.None, null);
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            return (ErrorMapping.ToErrorCode(e), e.Message);
        }
    }
}
