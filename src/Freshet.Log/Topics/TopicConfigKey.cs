namespace Freshet.Log.Topics;

/// <summary>
/// One Kafka topic setting: its name, its value type, whether a single-node log acts on it, and how it
/// is read from and applied to a <see cref="TopicConfig"/>. Entries live in <see cref="TopicConfigKeys"/>.
/// Immutable; thread-safe.
/// </summary>
internal sealed class TopicConfigKey
{
    private readonly Func<TopicConfig, string> _read;
    private readonly Func<TopicConfig, string, TopicConfig> _apply;

    public TopicConfigKey(string name, ConfigValueType type, bool isImplemented, Func<TopicConfig, string> read, Func<TopicConfig, string, TopicConfig> apply)
    {
        Name = name;
        Type = type;
        IsImplemented = isImplemented;
        _read = read;
        _apply = apply;
    }

    /// <summary>The setting's name in Kafka's spelling.</summary>
    public string Name { get; }

    /// <summary>The value's type, as DescribeConfigs reports it.</summary>
    public ConfigValueType Type { get; }

    /// <summary>
    /// Whether the setting changes what the log does. False: accepted, validated, stored and described,
    /// with no effect on a single node (replication, tiered storage, down-conversion, ...).
    /// </summary>
    public bool IsImplemented { get; }

    /// <summary>The setting's value in <paramref name="config"/>, formatted as Kafka formats it.</summary>
    public string Read(TopicConfig config) => _read(config);

    /// <summary>A copy of <paramref name="config"/> with this setting parsed from <paramref name="value"/>.</summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.InvalidConfig"/> when the value does not parse or is out of range.</exception>
    public TopicConfig Apply(TopicConfig config, string value) => _apply(config, value);
}
