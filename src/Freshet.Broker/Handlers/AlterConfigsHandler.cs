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
/// </summary>
internal sealed class AlterConfigsHandler : ApiHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    private readonly TopicConfigOverrides _overrides;

    public AlterConfigsHandler(TopicConfigOverrides overrides) => _overrides = overrides;

    /// <inheritdoc/>
    protected override ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, AlterConfigsRequest request)
    {
        var answers = ConfigResources.AnswerEach(request.Resources, r => (r.ResourceType, r.ResourceName), r => Alter(r, request.ValidateOnly));
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
