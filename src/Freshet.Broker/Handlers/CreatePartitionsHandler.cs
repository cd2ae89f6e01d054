using Freshet.Kafka.Protocol.Messages;
using Freshet.Log;

namespace Freshet.Broker.Handlers;

/// <summary>
/// CreatePartitions 0-3: raises a topic's partition count (never lowers it: INVALID_PARTITIONS (37));
/// new partitions may only be assigned to this node (INVALID_REPLICA_ASSIGNMENT (39)).
/// <c>validate_only</c> checks and changes nothing.
/// </summary>
internal sealed class CreatePartitionsHandler : ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    private const short InvalidReplicaAssignment = 39;

    private readonly BrokerServices _services;

    public CreatePartitionsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, CreatePartitionsRequest request)
    {
        var results = new CreatePartitionsTopicResult[request.Topics.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var topic = request.Topics[i];
            var (code, message) = Grow(topic, request.ValidateOnly);
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
            if (validateOnly)
            {
                var current = _services.Store.DescribeTopic(topic.Name).Partitions.Count;
                return topic.Count > current
                    ? (KafkaErrorCode.None, null)
                    : ((short)LogErrorCode.InvalidPartitions, $"Topic '{topic.Name}' has {current} partitions; the new count must be larger (got {topic.Count}).");
            }

            _services.Store.CreatePartitions(topic.Name, topic.Count);
            return (KafkaErrorCode.None, null);
        }
        catch (LogException e)
        {
            return ((short)e.ErrorCode, e.Message);
        }
    }
}
