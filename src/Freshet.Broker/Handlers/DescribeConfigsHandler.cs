using System.Globalization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeConfigs 0-4. Topics (resource type 2): every setting in Kafka's names, with values equal
/// to the default marked as such (IsDefault in v0, source DEFAULT_CONFIG (5) rather than TOPIC_CONFIG
/// (1) from v1), types from v3, no synonyms or documentation. The broker (resource type 4, named by this
/// node's id or by an empty name): a few read-only settings from <see cref="BrokerOptions"/>. Other
/// resource types and other broker ids get INVALID_REQUEST (42). A null or empty key list asks for every
/// setting, as in Kafka.
/// </summary>
internal sealed class DescribeConfigsHandler : ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte TopicConfigSource = 1;
    private const sbyte StaticBrokerConfigSource = 4;
    private const sbyte DefaultConfigSource = 5;

    // Kafka's ConfigType values.
    private const sbyte BooleanType = 1;
    private const sbyte StringType = 2;
    private const sbyte IntType = 3;
    private const sbyte LongType = 5;
    private const sbyte ListType = 7;

    private readonly BrokerServices _services;

    public DescribeConfigsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeConfigsResponse?> HandleAsync(RequestContext context, DescribeConfigsRequest request)
    {
        var results = new DescribeConfigsResult[request.Resources.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Describe(request.Resources[i]);
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

                var defaults = _services.DefaultTopicConfig.ToDictionary();
                configs = topic.Config.ToDictionary().Select(setting =>
                {
                    var isDefault = defaults.TryGetValue(setting.Key, out var defaultValue) && defaultValue == setting.Value;
                    return Entry(setting.Key, setting.Value, readOnly: false, isDefault, isDefault ? DefaultConfigSource : TopicConfigSource, TopicConfigType(setting.Key));
                });
                break;
            case BrokerResource:
                if (resource.ResourceName.Length > 0 && resource.ResourceName != _services.NodeId.ToString(CultureInfo.InvariantCulture))
                {
                    return Error(resource, KafkaErrorCode.InvalidRequest, $"Unexpected broker id '{resource.ResourceName}': this broker is {_services.NodeId} (or name none for the defaults).");
                }

                var options = _services.Options;
                configs =
                [
                    Entry("broker.id", options.NodeId.ToString(CultureInfo.InvariantCulture), readOnly: true, isDefault: false, StaticBrokerConfigSource, IntType),
                    Entry("auto.create.topics.enable", options.AutoCreateTopics ? "true" : "false", readOnly: true, isDefault: false, StaticBrokerConfigSource, BooleanType),
                    Entry("num.partitions", options.DefaultPartitions.ToString(CultureInfo.InvariantCulture), readOnly: true, isDefault: false, StaticBrokerConfigSource, IntType),
                    Entry("socket.request.max.bytes", options.MaxFrameBytes.ToString(CultureInfo.InvariantCulture), readOnly: true, isDefault: false, StaticBrokerConfigSource, IntType),
                    Entry("group.initial.rebalance.delay.ms", options.GroupInitialRebalanceDelayMs.ToString(CultureInfo.InvariantCulture), readOnly: true, isDefault: false, StaticBrokerConfigSource, IntType),
                ];
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

    private static DescribeConfigsResourceResult Entry(string name, string value, bool readOnly, bool isDefault, sbyte source, sbyte type) => new()
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

    private static sbyte TopicConfigType(string name) => name switch
    {
        "segment.bytes" or "max.message.bytes" or "index.interval.bytes" => IntType,
        "cleanup.policy" => ListType,
        "flush.policy" => StringType,
        _ => LongType,
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
