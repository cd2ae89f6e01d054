using Freshet.Log;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Reads and replaces the set of a topic's configuration overrides (the settings that differ from the
/// broker's topic defaults) for AlterConfigs and IncrementalAlterConfigs. Both handlers compute the
/// complete new set of overrides and hand it to <see cref="Replace"/>, so this class is the one place
/// that knows how the log stores a topic's configuration. A topic's overrides are the settings whose
/// value differs from the default, as DescribeConfigs reports them. Thread-safe: a read-modify-write
/// through <see cref="Update"/> is atomic with respect to every other update through this instance.
/// </summary>
internal sealed class TopicConfigOverrides
{
    private readonly BrokerServices _services;
    private readonly Lock _gate = new();

    public TopicConfigOverrides(BrokerServices services) => _services = services;

    /// <summary>The topic defaults, as Kafka-named strings.</summary>
    public IReadOnlyDictionary<string, string> Defaults => _services.DefaultTopicConfig.ToDictionary();

    /// <summary>
    /// Computes a topic's new overrides from its current ones with <paramref name="change"/> and, unless
    /// <paramref name="validateOnly"/>, stores them: every setting not in the result returns to its default.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.UnknownTopicOrPartition"/> when the topic does not
    /// exist; <see cref="LogErrorCode.InvalidConfig"/> for an unknown name or a bad value (nothing is changed).</exception>
    public void Update(string topic, Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, bool validateOnly)
    {
        lock (_gate)
        {
            if (!_services.Store.TryDescribeTopic(topic, out var description))
            {
                throw new LogException(LogErrorCode.UnknownTopicOrPartition, $"Topic '{topic}' does not exist.");
            }

            var overrides = change(CurrentOverrides(description.Config));
            Replace(topic, overrides, validateOnly);
        }
    }

    private Dictionary<string, string> CurrentOverrides(TopicConfig config)
    {
        var defaults = Defaults;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in config.ToDictionary())
        {
            if (!defaults.TryGetValue(name, out var defaultValue) || defaultValue != value)
            {
                overrides[name] = value;
            }
        }

        return overrides;
    }

    // The new configuration is the defaults with the overrides applied; every setting is written, so the
    // ones not overridden go back to their defaults.
    private void Replace(string topic, IReadOnlyDictionary<string, string> overrides, bool validateOnly)
    {
        var config = _services.DefaultTopicConfig.With(overrides);
        if (!validateOnly)
        {
            _services.Store.AlterTopicConfig(topic, config.ToDictionary());
        }
    }
}
