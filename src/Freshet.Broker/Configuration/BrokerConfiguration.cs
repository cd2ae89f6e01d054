using System.Globalization;

namespace Freshet.Broker.Configuration;

/// <summary>
/// Builds <see cref="BrokerOptions"/> from Kafka-named broker properties, given as pairs or as a Java
/// properties file such as Kafka's <c>server.properties</c>. Unknown names are refused by name. The
/// properties Freshet understands and what each sets are listed in <c>docs/broker.md</c>
/// ("Broker settings"). Thread-safe (no shared state).
/// </summary>
/// <example>
/// <code>
/// var options = BrokerConfiguration.LoadFile("broker.properties");
/// using var store = LogStore.Open(options.DataDirectory!, new LogStoreOptions { DefaultTopicConfig = options.DefaultTopicConfig ?? TopicConfig.Default });
/// await using var broker = await KafkaBroker.StartAsync(store, options);
/// </code>
/// </example>
public static class BrokerConfiguration
{
    private const string UnderstoodSettings = "the settings Freshet understands are listed in docs/broker.md, Broker settings, and in BrokerConfiguration.Names";

    /// <summary>Every broker property name understood, in Kafka's spelling.</summary>
    public static IReadOnlyList<string> Names { get; } = BrokerSettings.All.Select(s => s.Name).ToArray();

    /// <summary>
    /// Returns a copy of <paramref name="options"/> with <paramref name="properties"/> applied (in the
    /// table's order, so the finer unit of a setting wins), and checks the result.
    /// </summary>
    /// <exception cref="BrokerConfigurationException">An unknown name, or a value that does not parse or is out of range; the message names the property.</exception>
    public static BrokerOptions Apply(BrokerOptions options, IEnumerable<KeyValuePair<string, string>> properties)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(properties);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (!BrokerSettings.TryGet(name, out _))
            {
                throw new BrokerConfigurationException($"Unknown broker setting '{name}' ({UnderstoodSettings}).");
            }

            given[name] = value ?? throw new BrokerConfigurationException($"Broker setting '{name}' has no value.");
        }

        foreach (var setting in BrokerSettings.All)
        {
            if (given.TryGetValue(setting.Name, out var value) && !ListenerSettings.Contains(setting.Name))
            {
                options = setting.Apply(options, value);
            }
        }

        options = ListenerSettings.Apply(
            options,
            given.GetValueOrDefault(ListenerSettings.ListenersName),
            given.GetValueOrDefault(ListenerSettings.AdvertisedListenersName),
            given.GetValueOrDefault(ListenerSettings.ProtocolMapName));

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new BrokerConfigurationException($"The broker settings do not fit together: {e.Message}", e);
        }

        return options;
    }

    /// <summary>
    /// Reads a Java properties file of Kafka broker properties and applies it to <paramref name="options"/>
    /// (default: <c>new BrokerOptions()</c>).
    /// </summary>
    /// <exception cref="BrokerConfigurationException">The file cannot be read, or holds an unknown or invalid property; the message names the file, the line and the property.</exception>
    public static BrokerOptions LoadFile(string path, BrokerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IReadOnlyList<JavaProperties.Entry> entries;
        try
        {
            entries = JavaProperties.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new BrokerConfigurationException($"Cannot read the broker configuration file '{path}': {e.Message}", e);
        }

        foreach (var entry in entries)
        {
            if (!BrokerSettings.TryGet(entry.Key, out _))
            {
                throw new BrokerConfigurationException(string.Create(CultureInfo.InvariantCulture, $"{path}, line {entry.Line}: unknown broker setting '{entry.Key}' ({UnderstoodSettings})."));
            }
        }

        try
        {
            return Apply(options ?? new BrokerOptions(), entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)));
        }
        catch (BrokerConfigurationException e)
        {
            throw new BrokerConfigurationException($"{path}: {e.Message}", e);
        }
    }
}
