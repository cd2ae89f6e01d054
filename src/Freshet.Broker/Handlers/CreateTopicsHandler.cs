using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// CreateTopics 0-4. Partitions -1 means the broker default; the replication factor must be -1 or 1
/// (one node: INVALID_REPLICATION_FACTOR (38) otherwise); manual assignments are accepted when every
/// partition is placed on this node (INVALID_REPLICA_ASSIGNMENT (39) otherwise). Configs use Kafka's
/// names (see <see cref="TopicConfig.Names"/>); an unknown name or bad value gets INVALID_CONFIG (40)
/// with a message, and so does a null value. A name given twice in one request gets INVALID_REQUEST (42)
/// for every entry, as in Kafka. <c>validate_only</c> checks everything and creates nothing.
/// With authorization on, as in Kafka, a topic needs CREATE on the cluster or on the topic: TOPIC_AUTHORIZATION_FAILED (29)
/// otherwise.
/// </summary>
internal sealed class CreateTopicsHandler : ApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    private const short InvalidReplicationFactor = 38;
    private const short InvalidReplicaAssignment = 39;

    // LogStore.CreateTopic's limit, checked here too so validate_only answers as creating would.
    private const int MaxPartitions = 100_000;

    private readonly BrokerServices _services;

    public CreateTopicsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, CreateTopicsRequest request)
    {
        var results = new CreatableTopicResult[request.Topics.Count];
        var duplicates = Duplicates(request.Topics);
        var authorizer = _services.Authorizer;
        var clusterCreate = authorizer.AllowsCluster(context, AclOperation.Create);
        for (var i = 0; i < results.Length; i++)
        {
            var topic = request.Topics[i];
            var (code, message) = duplicates.Contains(topic.Name)
                ? (KafkaErrorCode.InvalidRequest, $"Topic '{topic.Name}' appears more than once in the request.")
                : !clusterCreate && !authorizer.AllowsTopic(context, AclOperation.Create, topic.Name)
                    ? (KafkaErrorCode.TopicAuthorizationFailed, $"Creating topic '{topic.Name}' needs CREATE on the cluster or on the topic.")
                    : Create(topic, request.ValidateOnly);
            results[i] = new CreatableTopicResult { Name = topic.Name, ErrorCode = code, ErrorMessage = message };
        }

        return new(new CreateTopicsResponse { Topics = results });
    }

    private (short Code, string? Message) Create(CreatableTopic topic, bool validateOnly)
    {
        if (topic.ReplicationFactor is not (-1 or 1))
        {
            return (InvalidReplicationFactor, $"Replication factor {topic.ReplicationFactor} is larger than the 1 broker available.");
        }

        var partitions = topic.NumPartitions == -1 ? _services.Options.DefaultPartitions : topic.NumPartitions;
        if (topic.Assignments.Count > 0)
        {
            if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
            {
                return (KafkaErrorCode.InvalidRequest, "Both partition count and manual assignments were given; give one.");
            }

            foreach (var assignment in topic.Assignments)
            {
                if (assignment.BrokerIds.Count != 1 || assignment.BrokerIds[0] != _services.NodeId)
                {
                    return (InvalidReplicaAssignment, $"Partition {assignment.PartitionIndex} must be assigned to broker {_services.NodeId}, the only one.");
                }
            }

            partitions = topic.Assignments.Count;
        }

        if (topic.Configs.FirstOrDefault(c => c.Value is null) is { } unset)
        {
            return ((short)LogErrorCode.InvalidConfig, $"Topic configuration '{unset.Name}' has a null value; give a value or leave it out.");
        }

        if (partitions is >= 1 and <= MaxPartitions && _services.PartitionLimitProblem(partitions) is { } limit)
        {
            return (KafkaErrorCode.PolicyViolation, limit);
        }

        try
        {
            var config = _services.DefaultTopicConfig.With(topic.Configs.Select(c => new KeyValuePair<string, string>(c.Name, c.Value!)));
            if (validateOnly)
            {
                return Validate(topic.Name, partitions);
            }

            _services.Store.CreateTopic(topic.Name, partitions, config, _services.DefaultTopicConfig, topic.Configs.Select(c => c.Name));
            return (KafkaErrorCode.None, null);
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            return (ErrorMapping.ToErrorCode(e), e.Message);
        }
    }

    private (short Code, string? Message) Validate(string name, int partitions)
    {
        if (TopicNames.Check(name) is { } problem)
        {
            return ((short)LogErrorCode.InvalidTopic, problem);
        }

        if (_services.Store.TryDescribeTopic(name, out _))
        {
            return ((short)LogErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.");
        }

        return partitions is < 1 or > MaxPartitions
            ? ((short)LogErrorCode.InvalidPartitions, $"The partition count must be between 1 and {MaxPartitions} (got {partitions}).")
            : (KafkaErrorCode.None, null);
    }

    /// <summary>Names given more than once: Kafka refuses every entry of such a name with INVALID_REQUEST.</summary>
    private static HashSet<string> Duplicates(IReadOnlyList<CreatableTopic> topics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!seen.Add(topic.Name))
            {
                duplicates.Add(topic.Name);
            }
        }

        return duplicates;
    }
}
