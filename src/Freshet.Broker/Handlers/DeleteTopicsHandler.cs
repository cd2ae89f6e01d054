using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteTopics 0-4: deletes each named topic and its data; an unknown topic gets UNKNOWN_TOPIC_OR_PARTITION (3).
/// With authorization on, a topic the principal may not DELETE gets TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class DeleteTopicsHandler : ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    private readonly BrokerServices _services;

    public DeleteTopicsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DeleteTopicsResponse?> HandleAsync(RequestContext context, DeleteTopicsRequest request)
    {
        var results = new DeletableTopicResult[request.TopicNames.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var name = request.TopicNames[i];
            short code = KafkaErrorCode.None;
            try
            {
                if (!_services.Authorizer.AllowsTopic(context, AclOperation.Delete, name))
                {
                    code = KafkaErrorCode.TopicAuthorizationFailed;
                }
                else
                {
                    _services.Store.DeleteTopic(name);
                }
            }
            catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
            {
                code = ErrorMapping.ToErrorCode(e);
            }

            results[i] = new DeletableTopicResult { Name = name, ErrorCode = code };
        }

        return new(new DeleteTopicsResponse { Responses = results });
    }
}
