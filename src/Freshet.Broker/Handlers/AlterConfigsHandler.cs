using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AlterConfigs 0-2: replaces the whole set of a topic's configuration overrides with the entries given;
/// a setting left out (or given a null value) returns to the broker's topic default, as in Kafka. Per
/// resource: an unknown topic gets UNKNOWN_TOPIC_OR_PARTITION (3), an unknown setting or a bad value
/// INVALID_CONFIG (40) with nothing changed, a key given twice or a resource named twice INVALID_REQUEST
/// (42). The broker's settings are static (read at start-up), so a broker (4) or broker logger (8)
/// resource gets INVALID_REQUEST, as Kafka answers for a setting that cannot be updated dynamically.
/// With validate_only nothing is changed and the answers are the same.
/// With authorization on, as in Kafka: a topic needs ALTER_CONFIGS on it (TOPIC_AUTHORIZATION_FAILED, 29), a broker
/// ALTER_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED, 31).
/// </summary>
internal sealed class AlterConfigsHandler : ApiHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    private readonly TopicConfigOverrides _overrides;
    private readonly Authorizer _authorizer;

    public AlterConfigsHandler(TopicConfigOverrides overrides, Authorizer authorizer)
    {
        _overrides = overrides;
        _authorizer = authorizer;
    }

    /// <inheritdoc/>
    protected override ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, AlterConfigsRequest request)
    {
        var answers = ConfigResources.AnswerEach(request.Resources, r => (r.ResourceType, r.ResourceName), r => ConfigResources.Unauthorized(_authorizer, context, r.ResourceType, r.ResourceName, alter: true) ?? Alter(r, request.ValidateOnly));
        var responses = request.Resources.Select((resource, i) => new AlterConfigsResourceResponse
        {
            ErrorCode = answers[i].Code,
            ErrorMessage = answers[i].Message,
            ResourceType = resource.ResourceType,
            ResourceName = resource.ResourceName,
        }).ToArray();

        return new(new AlterConfigsResponse { Responses = responses });
    }

    private (short Code, string? Message) Alter(AlterConfigsResource resource, bool validateOnly)
    {
        if (resource.ResourceType != ConfigResources.Topic)
        {
            return ConfigResources.Refuse(resource.ResourceType);
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in resource.Configs)
        {
            if (!settings.TryAdd(entry.Name, entry.Value ?? string.Empty))
            {
                return (KafkaErrorCode.InvalidRequest, $"Configuration '{entry.Name}' is given more than once.");
            }
        }

        // A null value asks for the default, which is what leaving the setting out gives.
        foreach (var entry in resource.Configs)
        {
            if (entry.Value is null)
            {
                settings.Remove(entry.Name);
            }
        }

        return ConfigResources.Apply(() => _overrides.Update(resource.ResourceName, _ => settings, validateOnly));
    }
}
