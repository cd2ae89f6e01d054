using Freshet.Log;
using Freshet.Log.Topics;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Reads and replaces the set of a topic's configuration overrides (the settings chosen for the topic,
/// <see cref="TopicDescription.OverriddenSettings"/>; the rest follow the broker's topic defaults) for
/// AlterConfigs and IncrementalAlterConfigs. Both handlers compute the complete new set of overrides and
/// this class stores it with <see cref="LogStore.ReplaceTopicConfig"/>. Thread-safe: a read-modify-write
/// through <see cref="Update"/> is atomic with respect to every other update through this instance.
/// </summary>
internal sealed class TopicConfigOverrides
{
    private readonly BrokerServices _services;
    private readonly Lock _gate = new();

    public TopicConfigOverrides(BrokerServices services) => _services = services;

    /// <summary>The broker's topic defaults, as Kafka-named strings.</summary>
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

            var settings = description.Config.ToDictionary();
            var current = description.OverriddenSettings.ToDictionary(name => name, name => settings[name], StringComparer.Ordinal);
            var overrides = change(current);
            var defaults = _services.DefaultTopicConfig;
            if (validateOnly)
            {
                defaults.With(overrides);
            }
            else
            {
                _services.Store.ReplaceTopicConfig(topic, overrides, defaults);
            }
        }
    }
}
