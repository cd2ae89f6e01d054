using System.Globalization;
using Freshet.Broker.Security;
using Freshet.Log;
using Freshet.Log.Topics;

namespace Freshet.Broker.Configuration;

/// <summary>
/// The broker properties Freshet understands, in Kafka's names: ONE table mapping each name to how its
/// value is parsed, checked and set on <see cref="BrokerOptions"/> (and read back for DescribeConfigs).
/// A new broker setting is one line here (plus its property on <see cref="BrokerOptions"/>). The
/// <c>log.*</c> lines (and <c>message.max.bytes</c>, <c>compression.type</c>, ...) set the default topic
/// configuration through Kafka's broker-to-topic synonyms, so they take the topic setting's rules.
/// Entries are applied in table order whatever the order in a file, so where Kafka has several units for
/// one setting the finer one wins, as in Kafka (<c>log.retention.ms</c> over <c>.minutes</c> over <c>.hours</c>).
/// </summary>
internal static class BrokerSettings
{
    private const long HourMs = 60 * 60 * 1000;
    private const long MinuteMs = 60 * 1000;

    /// <summary>Every entry, in the order they are applied.</summary>
    public static IReadOnlyList<BrokerSetting> All { get; } =
    [
        Int("broker.id", readOnly: true, o => o.NodeId, (o, v) => o with { NodeId = v }, min: 0),
        Int("node.id", readOnly: true, o => o.NodeId, (o, v) => o with { NodeId = v }, min: 0),
        // Applied together by ListenerSettings (BrokerConfiguration.Apply), since each reads the others.
        new(ListenerSettings.ListenersName, ConfigValueType.String, false, o => ListenerSettings.Format(o.EffectiveListeners), AppliedWithListeners),
        new(ListenerSettings.AdvertisedListenersName, ConfigValueType.String, false, o => ListenerSettings.FormatAdvertised(o.EffectiveListeners), AppliedWithListeners),
        new(ListenerSettings.ProtocolMapName, ConfigValueType.String, false, o => ListenerSettings.FormatProtocolMap(o.EffectiveListeners), AppliedWithListeners),

        // TLS (BrokerOptions.Tls): the key store first, since the others refine it.
        new("ssl.keystore.location", ConfigValueType.String, false, o => o.Tls?.KeystoreLocation, (o, v) => o with { Tls = o.Tls is { } tls ? tls with { KeystoreLocation = Path(v, "ssl.keystore.location") } : new TlsOptions { KeystoreLocation = Path(v, "ssl.keystore.location") } }),
        Tls("ssl.keystore.type", o => o.Tls?.KeystoreType.ToString().ToUpperInvariant(), (t, v) => t with { KeystoreType = StoreType("ssl.keystore.type", v) }),
        Tls("ssl.keystore.password", static _ => null, (t, v) => t with { KeystorePassword = v }),
        Tls("ssl.keystore.key.location", o => o.Tls?.KeyLocation, (t, v) => t with { KeyLocation = Path(v, "ssl.keystore.key.location") }),
        Tls("ssl.key.password", static _ => null, (t, v) => t with { KeyPassword = v }),
        Tls("ssl.truststore.location", o => o.Tls?.TruststoreLocation, (t, v) => t with { TruststoreLocation = Path(v, "ssl.truststore.location") }),
        Tls("ssl.truststore.type", o => o.Tls?.TruststoreType.ToString().ToUpperInvariant(), (t, v) => t with { TruststoreType = StoreType("ssl.truststore.type", v) }),
        Tls("ssl.truststore.password", static _ => null, (t, v) => t with { TruststorePassword = v }),
        Tls("ssl.client.auth", o => o.Tls?.ClientAuth.ToString().ToLowerInvariant(), (t, v) => t with { ClientAuth = ClientAuth(v) }),
        Tls("ssl.handshake.timeout.ms", o => o.Tls?.HandshakeTimeoutMs.ToString(CultureInfo.InvariantCulture), (t, v) => t with
        {
            HandshakeTimeoutMs = int.TryParse(v.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms >= 1 ? ms : throw Invalid("ssl.handshake.timeout.ms", v, "must be a whole number of milliseconds, at least 1"),
        }),
        new("log.dir", ConfigValueType.String, true, o => o.DataDirectory, (o, v) => o with { DataDirectory = ParseDirectory("log.dir", v) }),
        new("log.dirs", ConfigValueType.String, true, o => o.DataDirectory, (o, v) => o with { DataDirectory = ParseDirectory("log.dirs", v) }),
        Int("num.partitions", readOnly: true, o => o.DefaultPartitions, (o, v) => o with { DefaultPartitions = v }, min: 1),
        Bool("auto.create.topics.enable", readOnly: true, o => o.AutoCreateTopics, (o, v) => o with { AutoCreateTopics = v }),
        Int("socket.request.max.bytes", readOnly: true, o => o.MaxFrameBytes, (o, v) => o with { MaxFrameBytes = v }, min: 1024),
        Long("queued.max.request.bytes", readOnly: true, o => o.QueuedMaxRequestBytes, (o, v) => o with { QueuedMaxRequestBytes = v }, min: long.MinValue),
        Long("connections.max.idle.ms", readOnly: true, o => o.ConnectionsMaxIdleMs, (o, v) => o with { ConnectionsMaxIdleMs = v }, min: -1),
        new("sasl.enabled.mechanisms", ConfigValueType.List, false, o => string.Join(',', o.SaslEnabledMechanisms), ParseSaslMechanisms),
        Long("connections.max.reauth.ms", readOnly: true, o => o.ConnectionsMaxReauthMs, (o, v) => o with { ConnectionsMaxReauthMs = v }, min: 0),
        Int("group.initial.rebalance.delay.ms", readOnly: true, o => o.GroupInitialRebalanceDelayMs, (o, v) => o with { GroupInitialRebalanceDelayMs = v }, min: 0),

        // Authorization (docs/security.md): any authorizer class turns Freshet's ACL checks on.
        new("authorizer.class.name", ConfigValueType.String, true, o => o.Authorization.Enabled ? AuthorizerClassName : "", (o, v) => o with { Authorization = o.Authorization with { Enabled = v.Trim().Length > 0 } }),
        new("super.users", ConfigValueType.String, true, o => string.Join(';', o.Authorization.SuperUsers), (o, v) => o with { Authorization = o.Authorization with { SuperUsers = ParseSuperUsers(v) } }),
        Bool("allow.everyone.if.no.acl.found", readOnly: true, o => o.Authorization.AllowEveryoneIfNoAclFound, (o, v) => o with { Authorization = o.Authorization with { AllowEveryoneIfNoAclFound = v } }),

        // Defaults of new topics, through Kafka's broker names for topic settings.
        TopicDefault("log.cleanup.policy", "cleanup.policy"),
        TopicDefault("compression.type", "compression.type"),
        TopicDefault("compression.gzip.level", "compression.gzip.level"),
        TopicDefault("compression.lz4.level", "compression.lz4.level"),
        TopicDefault("compression.zstd.level", "compression.zstd.level"),
        TopicDefault("log.cleaner.delete.retention.ms", "delete.retention.ms"),
        TopicDefault("log.segment.delete.delay.ms", "file.delete.delay.ms"),
        TopicDefault("log.flush.interval.messages", "flush.messages"),
        TopicDefault("log.flush.interval.ms", "flush.ms"),
        TopicDefault("log.index.interval.bytes", "index.interval.bytes"),
        TopicDefault("log.local.retention.bytes", "local.retention.bytes"),
        TopicDefault("log.local.retention.ms", "local.retention.ms"),
        TopicDefault("log.cleaner.max.compaction.lag.ms", "max.compaction.lag.ms"),
        TopicDefault("message.max.bytes", "max.message.bytes"),
        TopicDefault("log.message.downconversion.enable", "message.downconversion.enable"),
        TopicDefault("log.message.format.version", "message.format.version"),
        TopicDefault("log.message.timestamp.after.max.ms", "message.timestamp.after.max.ms"),
        TopicDefault("log.message.timestamp.before.max.ms", "message.timestamp.before.max.ms"),
        TopicDefault("log.message.timestamp.difference.max.ms", "message.timestamp.difference.max.ms"),
        TopicDefault("log.message.timestamp.type", "message.timestamp.type"),
        TopicDefault("log.cleaner.min.cleanable.ratio", "min.cleanable.dirty.ratio"),
        TopicDefault("log.cleaner.min.compaction.lag.ms", "min.compaction.lag.ms"),
        TopicDefault("min.insync.replicas", "min.insync.replicas"),
        TopicDefault("log.preallocate", "preallocate"),
        TopicDefault("log.retention.bytes", "retention.bytes"),
        TopicDefaultInUnits("log.retention.hours", "retention.ms", HourMs),
        TopicDefaultInUnits("log.retention.minutes", "retention.ms", MinuteMs),
        TopicDefault("log.retention.ms", "retention.ms"),
        TopicDefault("log.segment.bytes", "segment.bytes"),
        TopicDefault("log.index.size.max.bytes", "segment.index.bytes"),
        TopicDefaultInUnits("log.roll.jitter.hours", "segment.jitter.ms", HourMs),
        TopicDefault("log.roll.jitter.ms", "segment.jitter.ms"),
        TopicDefaultInUnits("log.roll.hours", "segment.ms", HourMs),
        TopicDefault("log.roll.ms", "segment.ms"),
        TopicDefault("unclean.leader.election.enable", "unclean.leader.election.enable"),
    ];

    /// <summary>What <c>authorizer.class.name</c> reads back as when authorization is on: Kafka's KRaft authorizer, whose semantics Freshet follows.</summary>
    private const string AuthorizerClassName = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private static readonly Dictionary<string, BrokerSetting> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Finds the entry named <paramref name="name"/> (Kafka's spelling, case-sensitive).</summary>
    public static bool TryGet(string name, out BrokerSetting setting) => ByName.TryGetValue(name, out setting!);

    private static BrokerConfigurationException Invalid(string name, string value, string rule) =>
        new($"Invalid value '{value}' for broker setting '{name}': {rule}.");

    private static BrokerSetting Int(string name, bool readOnly, Func<BrokerOptions, int> get, Func<BrokerOptions, int, BrokerOptions> set, int min) =>
        new(name, ConfigValueType.Int, readOnly, o => get(o).ToString(CultureInfo.InvariantCulture), (o, text) =>
        {
            var value = int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(name, text, "must be a 32-bit integer");
            return value < min ? throw Invalid(name, text, $"must be at least {min}") : set(o, value);
        });

    private static BrokerSetting Long(string name, bool readOnly, Func<BrokerOptions, long> get, Func<BrokerOptions, long, BrokerOptions> set, long min) =>
        new(name, ConfigValueType.Long, readOnly, o => get(o).ToString(CultureInfo.InvariantCulture), (o, text) =>
        {
            var value = long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(name, text, "must be a 64-bit integer");
            return value < min ? throw Invalid(name, text, $"must be at least {min}") : set(o, value);
        });

    private static BrokerSetting Bool(string name, bool readOnly, Func<BrokerOptions, bool> get, Func<BrokerOptions, bool, BrokerOptions> set) =>
        new(name, ConfigValueType.Boolean, readOnly, o => get(o) ? "true" : "false", (o, text) => text.Trim().ToLowerInvariant() switch
        {
            "true" => set(o, true),
            "false" => set(o, false),
            _ => throw Invalid(name, text, "must be true or false"),
        });

    /// <summary>A broker name for a topic setting: its value becomes the default of every topic that does not override it.</summary>
    private static BrokerSetting TopicDefault(string name, string topicName)
    {
        TopicConfigKeys.TryGet(topicName, out var key);
        return new(name, key.Type, isReadOnly: false, o => key.Read(Defaults(o)), (o, text) => o with { DefaultTopicConfig = WithTopicSetting(o, name, topicName, text) });
    }

    /// <summary>A broker name for a millisecond topic setting given in a coarser unit (hours, minutes), as an int like Kafka's.</summary>
    private static BrokerSetting TopicDefaultInUnits(string name, string topicName, long unitMs)
    {
        TopicConfigKeys.TryGet(topicName, out var key);
        return new(name, ConfigValueType.Int, isReadOnly: false, o =>
        {
            var ms = long.Parse(key.Read(Defaults(o)), CultureInfo.InvariantCulture);
            return ms >= 0 && ms % unitMs == 0 && ms / unitMs <= int.MaxValue ? (ms / unitMs).ToString(CultureInfo.InvariantCulture) : null;
        }, (o, text) =>
        {
            var units = int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(name, text, "must be a 32-bit integer");
            var ms = units < 0 ? -1 : units * unitMs;
            return o with { DefaultTopicConfig = WithTopicSetting(o, name, topicName, ms.ToString(CultureInfo.InvariantCulture)) };
        });
    }

    private static TopicConfig Defaults(BrokerOptions options) => options.DefaultTopicConfig ?? TopicConfig.Default;

    private static TopicConfig WithTopicSetting(BrokerOptions options, string name, string topicName, string value)
    {
        try
        {
            return Defaults(options).With([new(topicName, value)]);
        }
        catch (LogException e)
        {
            throw new BrokerConfigurationException($"Broker setting '{name}' (the default of topic setting '{topicName}'): {e.Message}", e);
        }
    }

    private static BrokerOptions AppliedWithListeners(BrokerOptions options, string value) =>
        throw new InvalidOperationException("The listener settings are applied together by ListenerSettings.Apply.");

    /// <summary>A TLS property that refines <see cref="BrokerOptions.Tls"/>; it needs <c>ssl.keystore.location</c>. Passwords read back as null, as Kafka hides them.</summary>
    private static BrokerSetting Tls(string name, Func<BrokerOptions, string?> read, Func<TlsOptions, string, TlsOptions> set) =>
        new(name, ConfigValueType.String, isReadOnly: true, read, (o, v) => o.Tls is { } tls
            ? o with { Tls = set(tls, v) }
            : throw new BrokerConfigurationException($"Broker setting '{name}' needs ssl.keystore.location (the server certificate) as well."));

    private static string Path(string text, string name) =>
        text.Trim() is { Length: > 0 } path ? path : throw Invalid(name, text, "must name a file");

    private static TlsStoreType StoreType(string name, string text) => text.Trim().ToUpperInvariant() switch
    {
        "PEM" => TlsStoreType.Pem,
        "PKCS12" => TlsStoreType.Pkcs12,
        _ => throw Invalid(name, text, "must be PKCS12 or PEM (JKS key stores are Java's; convert them with keytool -importkeystore -deststoretype PKCS12)"),
    };

    private static TlsClientAuth ClientAuth(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => TlsClientAuth.None,
        "requested" => TlsClientAuth.Requested,
        "required" => TlsClientAuth.Required,
        _ => throw Invalid("ssl.client.auth", text, "must be none, requested or required"),
    };

    /// <summary>Kafka's <c>super.users</c>: principals separated by semicolons, for example <c>User:admin;User:ops</c>.</summary>
    private static List<KafkaPrincipal> ParseSuperUsers(string text)
    {
        var users = new List<KafkaPrincipal>();
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                users.Add(KafkaPrincipal.Parse(part));
            }
            catch (FormatException e)
            {
                throw Invalid("super.users", text, $"must be principals separated by semicolons, such as User:admin;User:ops ({e.Message})");
            }
        }

        return users;
    }

    /// <summary>Kafka's <c>sasl.enabled.mechanisms</c>: a comma-separated list of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512.</summary>
    private static BrokerOptions ParseSaslMechanisms(BrokerOptions options, string text)
    {
        var mechanisms = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var mechanism in mechanisms)
        {
            if (!Security.Sasl.SaslMechanisms.Supported.Contains(mechanism, StringComparer.Ordinal))
            {
                throw Invalid("sasl.enabled.mechanisms", text, $"'{mechanism}' is not a SASL mechanism Freshet serves (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)");
            }
        }

        return mechanisms.Length > 0 ? options with { SaslEnabledMechanisms = mechanisms } : throw Invalid("sasl.enabled.mechanisms", text, "must name at least one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
    }

    private static string ParseDirectory(string name, string text)
    {
        var directories = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return directories.Length == 1 ? directories[0] : throw Invalid(name, text, "must name exactly one directory (Freshet keeps a broker's log in one directory)");
    }
}
