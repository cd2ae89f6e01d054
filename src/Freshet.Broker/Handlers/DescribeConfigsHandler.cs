using System.Globalization;
using Freshet.Broker.Configuration;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeConfigs 0-4. Topics (resource type 2): every Kafka topic setting (<see cref="TopicConfig.Names"/>),
/// source TOPIC_CONFIG (1) for the ones chosen for the topic (<see cref="TopicDescription.OverriddenSettings"/>)
/// and DEFAULT_CONFIG (5) for the ones it took from the defaults (IsDefault in v0), not read-only, not sensitive, with
/// Kafka's types from v3. The broker (resource type 4, named by this node's id or by an empty name): every
/// broker property of <see cref="BrokerConfiguration"/> with its value, source STATIC_BROKER_CONFIG (4)
/// when it differs from the built-in default and DEFAULT_CONFIG (5) otherwise, and Kafka's read-only flag.
/// No synonyms or documentation. Other resource types and other broker ids get INVALID_REQUEST (42). A null
/// or empty key list asks for every setting, as in Kafka.
/// With authorization on, as in Kafka: a topic needs DESCRIBE_CONFIGS on it (TOPIC_AUTHORIZATION_FAILED, 29), a broker
/// DESCRIBE_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED, 31).
/// </summary>
internal sealed class DescribeConfigsHandler : ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte TopicConfigSource = 1;
    private const sbyte StaticBrokerConfigSource = 4;
    private const sbyte DefaultConfigSource = 5;

    // The values a broker property has when nothing sets it; a value that differs was set by a file or a flag.
    private static readonly BrokerOptions BuiltInDefaults = new();

    private readonly BrokerServices _services;

    public DescribeConfigsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeConfigsResponse?> HandleAsync(RequestContext context, DescribeConfigsRequest request)
    {
        var results = new DescribeConfigsResult[request.Resources.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var resource = request.Resources[i];
            results[i] = ConfigResources.Unauthorized(_services.Authorizer, context, resource.ResourceType, resource.ResourceName, alter: false) is { } refusal
                ? Error(resource, refusal.Code, refusal.Message)
                : Describe(resource);
        }

        return new(new DescribeConfigsResponse { Results = results });
    }

    private DescribeConfigsResult Describe(DescribeConfigsResource resource)
    {
        IEnumerable<DescribeConfigsResourceResult> configs;
        switch (resource.ResourceType)
        {
            case TopicResource:
                if (!_services.Store.TryDescribeTopic(resource.ResourceName, out var topic))
                {
                    return Error(resource, KafkaErrorCode.UnknownTopicOrPartition, $"Topic '{resource.ResourceName}' does not exist.");
                }

                var overrides = topic.OverriddenSettings;
                configs = topic.Config.ToDictionary().Select(setting =>
                {
                    var isDefault = !overrides.Contains(setting.Key, StringComparer.Ordinal);
                    TopicConfigKeys.TryGet(setting.Key, out var key);
                    return Entry(setting.Key, setting.Value, readOnly: false, isDefault, isDefault ? DefaultConfigSource : TopicConfigSource, (sbyte)key.Type);
                });
                break;
            case BrokerResource:
                if (resource.ResourceName.Length > 0 && resource.ResourceName != _services.NodeId.ToString(CultureInfo.InvariantCulture))
                {
                    return Error(resource, KafkaErrorCode.InvalidRequest, $"Unexpected broker id '{resource.ResourceName}': this broker is {_services.NodeId} (or name none for the defaults).");
                }

                var options = _services.Options with { Port = _services.Port, Listeners = _services.Options.Listeners is null ? null : _services.Listeners };
                configs = BrokerSettings.All.Select(setting =>
                {
                    var value = setting.Read(options);
                    var isDefault = value == setting.Read(BuiltInDefaults);
                    return Entry(setting.Name, value, setting.IsReadOnly, isDefault, isDefault ? DefaultConfigSource : StaticBrokerConfigSource, (sbyte)setting.Type);
                });
                break;
            default:
                return Error(resource, KafkaErrorCode.InvalidRequest, $"Resource type {resource.ResourceType} is not supported; describe topics (2) or the broker (4).");
        }

        // Kafka reads an empty key list like a null one: every key (ConfigHelper.describeConfigs).
        if (resource.ConfigurationKeys is { Count: > 0 } keys)
        {
            configs = configs.Where(c => keys.Contains(c.Name, StringComparer.Ordinal));
        }

        return new DescribeConfigsResult { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName, Configs = configs.ToArray() };
    }

    private static DescribeConfigsResourceResult Entry(string name, string? value, bool readOnly, bool isDefault, sbyte source, sbyte type) => new()
    {
        Name = name,
        Value = value,
        ReadOnly = readOnly,
        IsDefault = isDefault,
        ConfigSource = source,
        IsSensitive = false,
        Synonyms = [],
        ConfigType = type,
        Documentation = null,
    };

    private static DescribeConfigsResult Error(DescribeConfigsResource resource, short code, string message) => new()
    {
        ErrorCode = code,
        ErrorMessage = message,
        ResourceType = resource.ResourceType,
        ResourceName = resource.ResourceName,
        Configs = [],
    };
}
