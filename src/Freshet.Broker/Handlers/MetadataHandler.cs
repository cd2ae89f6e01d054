using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log;
using Freshet.Log.Partitions;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Metadata 0-12: this node as the only broker and the controller, the cluster id, and the requested
/// topics (all of them for a null list, and in v0, which has no null list, for an empty one) with their ids and partitions, each led by this node with
/// itself as the only replica. A requested topic that does not exist is created when both the broker
/// (<see cref="BrokerOptions.AutoCreateTopics"/>) and the client (<c>AllowAutoTopicCreation</c>) allow it,
/// with <see cref="BrokerOptions.DefaultPartitions"/> partitions; otherwise it is reported with
/// UNKNOWN_TOPIC_OR_PARTITION (3). An illegal name gets INVALID_TOPIC_EXCEPTION (17), a topic id that
/// matches no topic UNKNOWN_TOPIC_ID (100). v8+ report the authorized operations when asked (computed by the
/// authorizer); librdkafka's DescribeCluster and DescribeTopics are Metadata requests.
/// With authorization on, as in Kafka: a request for all topics lists only those the principal may DESCRIBE; a named
/// topic (or topic id) it may not describe gets TOPIC_AUTHORIZATION_FAILED (29), whether or not it exists; creating a
/// missing topic needs CREATE on the cluster or on the topic, else TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
/// <remarks>
/// Leader epochs (v7+) are the partitions' <see cref="Partition.LeaderEpoch"/>, 0: the broker has no leader
/// elections. Clients validate their positions against it with OffsetForLeaderEpoch (KIP-320).
/// </remarks>
internal sealed class MetadataHandler : ApiHandler<MetadataRequest, MetadataResponse>
{
    private readonly BrokerServices _services;
    private readonly int[] _replicas;

    public MetadataHandler(BrokerServices services)
    {
        _services = services;
        _replicas = [services.NodeId];
    }

    /// <inheritdoc/>
    protected override ValueTask<MetadataResponse?> HandleAsync(RequestContext context, MetadataRequest request)
    {
        var store = _services.Store;
        List<MetadataResponseTopic> topics;
        if (request.Topics is null || (context.ApiVersion == 0 && request.Topics.Count == 0))
        {
            var names = store.ListTopics();
            topics = new List<MetadataResponseTopic>(names.Count);
            foreach (var name in names)
            {
                if (_services.Authorizer.AllowsTopic(context, AclOperation.Describe, name) && store.TryDescribeTopic(name, out var description))
                {
                    topics.Add(Describe(description));
                }
            }
        }
        else
        {
            topics = new List<MetadataResponseTopic>(request.Topics.Count);
            foreach (var requested in request.Topics)
            {
                topics.Add(requested.Name is not null
                    ? DescribeOrCreate(context, requested.Name, request.AllowAutoTopicCreation)
                    : context.ApiVersion >= 12
                        ? DescribeById(context, requested.TopicId)

                        // v10 and v11 carry a topic id but look topics up by name, as Kafka does; their response
                        // cannot hold a null name, so the unnamed topic is answered as "" with INVALID_REQUEST.
                        : Error("", KafkaErrorCode.InvalidRequest));
            }
        }

        if (request.IncludeTopicAuthorizedOperations)
        {
            foreach (var topic in topics)
            {
                if (topic.ErrorCode == KafkaErrorCode.None && topic.Name is not null)
                {
                    topic.TopicAuthorizedOperations = _services.Authorizer.OperationsOn(context, AclResourceType.Topic, topic.Name);
                }
            }
        }

        var (host, port) = _services.AdvertisedAddress(context);
        return new(new MetadataResponse
        {
            ClusterAuthorizedOperations = request.IncludeClusterAuthorizedOperations ? _services.Authorizer.ClusterOperations(context) : MetadataResponse.AuthorizedOperationsOmitted,
            Brokers = [new MetadataResponseBroker { NodeId = _services.NodeId, Host = host, Port = port }],
            ClusterId = _services.ClusterId,
            ControllerId = _services.NodeId,
            Topics = topics,
        });
    }

    private MetadataResponseTopic DescribeOrCreate(RequestContext context, string name, bool clientAllowsCreation)
    {
        var authorizer = _services.Authorizer;
        if (!authorizer.AllowsTopic(context, AclOperation.Describe, name))
        {
            return Error(name, KafkaErrorCode.TopicAuthorizationFailed);
        }

        if (TopicNames.Check(name) is not null)
        {
            return Error(name, KafkaErrorCode.InvalidTopic);
        }

        var store = _services.Store;
        if (store.TryDescribeTopic(name, out var description))
        {
            return Describe(description);
        }

        if (!_services.Options.AutoCreateTopics || !clientAllowsCreation)
        {
            return Error(name, KafkaErrorCode.UnknownTopicOrPartition);
        }

        if (!authorizer.AllowsCluster(context, AclOperation.Create) && !authorizer.AllowsTopic(context, AclOperation.Create, name))
        {
            return Error(name, KafkaErrorCode.TopicAuthorizationFailed);
        }

        if (_services.PartitionLimitProblem(_services.Options.DefaultPartitions) is not null)
        {
            return Error(name, KafkaErrorCode.PolicyViolation);
        }

        try
        {
            return Describe(store.CreateTopic(name, _services.Options.DefaultPartitions, _services.DefaultTopicConfig, _services.DefaultTopicConfig, []));
        }
        catch (LogException e) when (e.ErrorCode == LogErrorCode.TopicAlreadyExists && store.TryDescribeTopic(name, out description))
        {
            // Another connection created it between our look-up and our create.
            return Describe(description);
        }
        catch (LogException e)
        {
            return Error(name, (short)e.ErrorCode);
        }
    }

    private MetadataResponseTopic DescribeById(RequestContext context, Guid topicId)
    {
        var store = _services.Store;
        foreach (var name in store.ListTopics())
        {
            if (store.TryDescribeTopic(name, out var description) && description.TopicId == topicId)
            {
                return _services.Authorizer.AllowsTopic(context, AclOperation.Describe, name)
                    ? Describe(description)
                    : new MetadataResponseTopic { ErrorCode = KafkaErrorCode.TopicAuthorizationFailed, Name = null, TopicId = topicId };
            }
        }

        return new MetadataResponseTopic { ErrorCode = KafkaErrorCode.UnknownTopicId, Name = null, TopicId = topicId };
    }

    private MetadataResponseTopic Describe(TopicDescription description)
    {
        var partitions = new MetadataResponsePartition[description.Partitions.Count];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = new MetadataResponsePartition
            {
                PartitionIndex = description.Partitions[i].Id,
                LeaderId = _services.NodeId,
                LeaderEpoch = Partition.LeaderEpoch,
                ReplicaNodes = _replicas,
                IsrNodes = _replicas,
            };
        }

        return new MetadataResponseTopic { Name = description.Name, TopicId = description.TopicId, Partitions = partitions };
    }

    private static MetadataResponseTopic Error(string name, short errorCode) => new() { ErrorCode = errorCode, Name = name };
}
