using Freshet.Log.Topics;

namespace Freshet.Broker.Configuration;

/// <summary>
/// One Kafka broker property: its name, how a value is parsed, checked and set on
/// <see cref="BrokerOptions"/>, how the current value is read back for DescribeConfigs, and Kafka's type and
/// read-only flag for it. Entries live in <see cref="BrokerSettings"/>. Immutable; thread-safe.
/// </summary>
internal sealed class BrokerSetting
{
    private readonly Func<BrokerOptions, string?> _read;
    private readonly Func<BrokerOptions, string, BrokerOptions> _apply;

    public BrokerSetting(string name, ConfigValueType type, bool isReadOnly, Func<BrokerOptions, string?> read, Func<BrokerOptions, string, BrokerOptions> apply)
    {
        Name = name;
        Type = type;
        IsReadOnly = isReadOnly;
        _read = read;
        _apply = apply;
    }

    /// <summary>The property's name in Kafka's spelling.</summary>
    public string Name { get; }

    /// <summary>The value's type, as DescribeConfigs reports it.</summary>
    public ConfigValueType Type { get; }

    /// <summary>
    /// Kafka's read-only flag for the property: false for the ones a Kafka cluster can change at run
    /// time (the <c>log.*</c> topic defaults, <c>listeners</c>, ...). Freshet changes none at run time.
    /// </summary>
    public bool IsReadOnly { get; }

    /// <summary>The value in <paramref name="options"/>, formatted as Kafka formats it, or null when it has none.</summary>
    public string? Read(BrokerOptions options) => _read(options);

    /// <summary>A copy of <paramref name="options"/> with the property parsed from <paramref name="value"/>.</summary>
    /// <exception cref="BrokerConfigurationException">The value does not parse or is out of range; the message names the property.</exception>
    public BrokerOptions Apply(BrokerOptions options, string value) => _apply(options, value);
}
