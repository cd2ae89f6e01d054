using Freshet.Kafka.Protocol.Messages;
using Freshet.Log;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// CreateTopics 0-4. Partitions -1 means the broker default; the replication factor must be -1 or 1
/// (one node: INVALID_REPLICATION_FACTOR (38) otherwise); manual assignments are accepted when every
/// partition is placed on this node (INVALID_REPLICA_ASSIGNMENT (39) otherwise). Configs use Kafka's
/// names (see <see cref="TopicConfig.Names"/>); an unknown name or bad value gets INVALID_CONFIG (40)
/// with a message. <c>validate_only</c> checks everything and creates nothing.
/// </summary>
internal sealed class CreateTopicsHandler : ApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    private const short InvalidReplicationFactor = 38;
    private const short InvalidReplicaAssignment = 39;

    private readonly BrokerServices _services;

    public CreateTopicsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, CreateTopicsRequest request)
    {
        var results = new CreatableTopicResult[request.Topics.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var topic = request.Topics[i];
            var (code, message) = Create(topic, request.ValidateOnly);
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

        try
        {
            var config = _services.DefaultTopicConfig.With(topic.Configs
                .Where(c => c.Value is not null)
                .Select(c => new KeyValuePair<string, string>(c.Name, c.Value!)));
            if (validateOnly)
            {
                return Validate(topic.Name, partitions);
            }

            _services.Store.CreateTopic(topic.Name, partitions, config);
            return (KafkaErrorCode.None, null);
        }
        catch (LogException e)
        {
            return ((short)e.ErrorCode, e.Message);
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

        return partitions < 1
            ? ((short)LogErrorCode.InvalidPartitions, $"The partition count must be at least 1 (got {partitions}).")
            : (KafkaErrorCode.None, null);
    }
}
