using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// IncrementalAlterConfigs 0-1 (KIP-339): applies each resource's operations to a topic's configuration
/// overrides in order, all or nothing: SET (0) overrides a setting, DELETE (1) returns it to the default,
/// APPEND (2) and SUBTRACT (3) add items to or remove items from a list setting (cleanup.policy), starting
/// from its current value. Per resource: an unknown topic gets UNKNOWN_TOPIC_OR_PARTITION (3); an unknown
/// setting, a bad value, or APPEND/SUBTRACT on a setting that is not a list INVALID_CONFIG (40); an
/// unknown operation, a key given twice or a resource named twice INVALID_REQUEST (42). Broker (4) and
/// broker logger (8) resources get INVALID_REQUEST: the broker's settings are static. With validate_only
/// nothing is changed and the answers are the same.
/// With authorization on, as in Kafka: a topic needs ALTER_CONFIGS on it (TOPIC_AUTHORIZATION_FAILED, 29), a broker
/// ALTER_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED, 31).
/// </summary>
internal sealed class IncrementalAlterConfigsHandler : ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>
{
    // The topic settings of type LIST in the log's table of settings; the only ones APPEND and SUBTRACT apply to.
    private static readonly string[] ListSettings = TopicConfigKeys.All.Where(key => key.Type == ConfigValueType.List).Select(key => key.Name).ToArray();

    private readonly TopicConfigOverrides _overrides;
    private readonly Authorizer _authorizer;

    public IncrementalAlterConfigsHandler(TopicConfigOverrides overrides, Authorizer authorizer)
    {
        _overrides = overrides;
        _authorizer = authorizer;
    }

    /// <inheritdoc/>
    protected override ValueTask<IncrementalAlterConfigsResponse?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request)
    {
        var answers = ConfigResources.AnswerEach(request.Resources, r => (r.ResourceType, r.ResourceName), r => ConfigResources.Unauthorized(_authorizer, context, r.ResourceType, r.ResourceName, alter: true) ?? Alter(r, request.ValidateOnly));
        var responses = request.Resources.Select((resource, i) => new IncrementalAlterConfigsResourceResponse
        {
            ErrorCode = answers[i].Code,
            ErrorMessage = answers[i].Message,
            ResourceType = resource.ResourceType,
            ResourceName = resource.ResourceName,
        }).ToArray();

        return new(new IncrementalAlterConfigsResponse { Responses = responses });
    }

    private (short Code, string? Message) Alter(IncrementalAlterConfigsResource resource, bool validateOnly)
    {
        if (resource.ResourceType != ConfigResources.Topic)
        {
            return ConfigResources.Refuse(resource.ResourceType);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in resource.Configs)
        {
            if (!names.Add(operation.Name))
            {
                return (KafkaErrorCode.InvalidRequest, $"Configuration '{operation.Name}' is given more than once.");
            }

            if (operation.ConfigOperation is < AlterableConfigOperation.Set or > AlterableConfigOperation.Subtract)
            {
                return (KafkaErrorCode.InvalidRequest, $"Unknown operation {operation.ConfigOperation} for configuration '{operation.Name}'; use 0 (set), 1 (delete), 2 (append) or 3 (subtract).");
            }

            if (operation.ConfigOperation is AlterableConfigOperation.Append or AlterableConfigOperation.Subtract && !(TopicConfigKeys.TryGet(operation.Name, out var key) && key.Type == ConfigValueType.List))
            {
                return (KafkaErrorCode.InvalidConfig, $"Configuration '{operation.Name}' is not a list: append and subtract apply only to list settings ({string.Join(", ", ListSettings)}).");
            }

            if (operation.ConfigOperation != AlterableConfigOperation.Delete && operation.Value is null)
            {
                return (KafkaErrorCode.InvalidConfig, $"Configuration '{operation.Name}' needs a value for operation {operation.ConfigOperation}.");
            }
        }

        return ConfigResources.Apply(() => _overrides.Update(resource.ResourceName, current => Apply(current, resource.Configs, _overrides.Defaults), validateOnly));
    }

    private static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> current, IReadOnlyList<AlterableConfigOperation> operations, IReadOnlyDictionary<string, string> defaults)
    {
        var overrides = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            switch (operation.ConfigOperation)
            {
                case AlterableConfigOperation.Set:
                    overrides[operation.Name] = operation.Value!;
                    break;
                case AlterableConfigOperation.Delete:
                    overrides.Remove(operation.Name);
                    break;
                default:
                    // Kafka's list semantics: append keeps the order and drops repeats; subtract removes every occurrence.
                    var now = overrides.TryGetValue(operation.Name, out var value) || defaults.TryGetValue(operation.Name, out value) ? SplitList(value) : [];
                    var given = SplitList(operation.Value!);
                    var result = operation.ConfigOperation == AlterableConfigOperation.Append
                        ? now.Concat(given).Distinct(StringComparer.Ordinal)
                        : now.Where(item => !given.Contains(item, StringComparer.Ordinal));
                    overrides[operation.Name] = string.Join(',', result);
                    break;
            }
        }

        return overrides;
    }

    private static string[] SplitList(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
