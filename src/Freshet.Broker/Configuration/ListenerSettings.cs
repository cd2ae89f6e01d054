using System.Globalization;
using System.Net;
using Freshet.Broker.Security;

namespace Freshet.Broker.Configuration;

/// <summary>
/// Kafka's three listener properties, which only make sense together, so they are applied together after the rest of
/// the table (<see cref="BrokerConfiguration.Apply"/>):
/// <list type="bullet">
/// <item><c>listeners</c>: <c>NAME://IP:PORT</c>, comma-separated, for example
/// <c>PLAINTEXT://127.0.0.1:9092,SSL://127.0.0.1:9093</c> (IPv6 as <c>[::1]</c>; port 0 picks a free one; names are upper-cased);</item>
/// <item><c>listener.security.protocol.map</c>: <c>NAME:PROTOCOL</c>, comma-separated, for example <c>EXTERNAL:SSL</c>. A name
/// missing from the map that is itself a protocol name (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) maps to that protocol,
/// as in Kafka's default map;</item>
/// <item><c>advertised.listeners</c>: <c>NAME://HOST:PORT</c> for some of the listeners: the address Metadata,
/// FindCoordinator and DescribeCluster give their clients (a host name is allowed; listeners left out advertise their
/// bound address).</item>
/// </list>
/// Pure; thread-safe.
/// </summary>
internal static class ListenerSettings
{
    public const string ListenersName = "listeners";
    public const string AdvertisedListenersName = "advertised.listeners";
    public const string ProtocolMapName = "listener.security.protocol.map";

    /// <summary>Whether <paramref name="name"/> is one of the three listener properties.</summary>
    public static bool Contains(string name) => name is ListenersName or AdvertisedListenersName or ProtocolMapName;

    /// <summary>
    /// Applies the listener properties that are given (null: not given). Without <c>listeners</c>, the map and the
    /// advertised addresses apply to the listeners <paramref name="options"/> already has. One plain
    /// <c>PLAINTEXT</c> listener without an advertised address is kept as <see cref="BrokerOptions.Host"/> and
    /// <see cref="BrokerOptions.Port"/>.
    /// </summary>
    /// <exception cref="BrokerConfigurationException">A malformed entry, an unknown protocol, a duplicate name or port, or an advertised name without a listener; the message names the property.</exception>
    public static BrokerOptions Apply(BrokerOptions options, string? listeners, string? advertisedListeners, string? protocolMap)
    {
        if (listeners is null && advertisedListeners is null && protocolMap is null)
        {
            return options;
        }

        var map = protocolMap is null ? new Dictionary<string, SecurityProtocol>(StringComparer.Ordinal) : ParseProtocolMap(protocolMap);
        List<BrokerListener> result;
        if (listeners is not null)
        {
            result = [];
            foreach (var (name, host, port) in ParseEndpoints(ListenersName, listeners))
            {
                if (!IPAddress.TryParse(host, out _))
                {
                    throw Invalid(ListenersName, listeners, $"listener {name} must bind an IP address such as 127.0.0.1, or 0.0.0.0 for every interface (got '{host}'); a host name goes in advertised.listeners");
                }

                if (result.Exists(l => l.Name == name))
                {
                    throw Invalid(ListenersName, listeners, $"listener name {name} appears twice");
                }

                if (port != 0 && result.Exists(l => l.Port == port))
                {
                    throw Invalid(ListenersName, listeners, string.Create(CultureInfo.InvariantCulture, $"port {port} is used by two listeners"));
                }

                result.Add(new BrokerListener(name, ProtocolOf(name, map, listeners), host, port));
            }
        }
        else
        {
            result = [.. options.EffectiveListeners.Select(l => protocolMap is null ? l : l with { Protocol = ProtocolOf(l.Name, map, protocolMap) })];
        }

        foreach (var name in map.Keys)
        {
            if (!result.Exists(l => l.Name == name) && !SecurityProtocols.TryParse(name, out _))
            {
                throw Invalid(ProtocolMapName, protocolMap!, $"it maps {name}, which is not a listener (listeners={Format(result)})");
            }
        }

        if (advertisedListeners is not null)
        {
            var advertised = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, host, port) in ParseEndpoints(AdvertisedListenersName, advertisedListeners))
            {
                var index = result.FindIndex(l => l.Name == name);
                if (index < 0)
                {
                    throw Invalid(AdvertisedListenersName, advertisedListeners, $"it advertises {name}, which is not a listener (listeners={Format(result)})");
                }

                if (!advertised.Add(name))
                {
                    throw Invalid(AdvertisedListenersName, advertisedListeners, $"listener name {name} appears twice");
                }

                if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
                {
                    throw Invalid(AdvertisedListenersName, advertisedListeners, $"'{host}' is not a host name or IP address");
                }

                result[index] = result[index] with { AdvertisedHost = host, AdvertisedPort = port == 0 ? null : port };
            }
        }

        if (result is [{ Name: "PLAINTEXT", Protocol: SecurityProtocol.Plaintext, AdvertisedHost: null, AdvertisedPort: null } only])
        {
            return options with { Host = only.Host, Port = only.Port, Listeners = null };
        }

        return options with { Listeners = result };
    }

    /// <summary>The <c>listeners</c> value of <paramref name="listeners"/>.</summary>
    public static string Format(IEnumerable<BrokerListener> listeners) =>
        string.Join(',', listeners.Select(static l => string.Create(CultureInfo.InvariantCulture, $"{l.Name}://{Bracketed(l.Host)}:{l.Port}")));

    /// <summary>The <c>advertised.listeners</c> value of <paramref name="listeners"/>: every listener's advertised address.</summary>
    public static string FormatAdvertised(IEnumerable<BrokerListener> listeners) =>
        string.Join(',', listeners.Select(static l => string.Create(CultureInfo.InvariantCulture, $"{l.Name}://{Bracketed(l.AdvertisedHostOrBound)}:{l.AdvertisedPortOrBound}")));

    /// <summary>The <c>listener.security.protocol.map</c> value of <paramref name="listeners"/>.</summary>
    public static string FormatProtocolMap(IEnumerable<BrokerListener> listeners) =>
        string.Join(',', listeners.Select(static l => l.Name + ":" + l.Protocol.KafkaName()));

    private static string Bracketed(string host) => host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;

    private static SecurityProtocol ProtocolOf(string name, Dictionary<string, SecurityProtocol> map, string text)
    {
        if (map.TryGetValue(name, out var mapped))
        {
            return mapped;
        }

        return SecurityProtocols.TryParse(name, out var protocol)
            ? protocol
            : throw Invalid(map.Count > 0 ? ProtocolMapName : ListenersName, text, $"listener {name} has no security protocol: name it in listener.security.protocol.map ({name}:SSL, for example) or use a protocol name (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)");
    }

    private static Dictionary<string, SecurityProtocol> ParseProtocolMap(string text)
    {
        var map = new Dictionary<string, SecurityProtocol>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsName(entry[..colon]))
            {
                throw Invalid(ProtocolMapName, text, $"'{entry}' is not NAME:PROTOCOL, such as EXTERNAL:SSL");
            }

            var name = entry[..colon].ToUpperInvariant();
            if (!SecurityProtocols.TryParse(entry[(colon + 1)..].Trim(), out var protocol))
            {
                throw Invalid(ProtocolMapName, text, $"'{entry[(colon + 1)..].Trim()}' is not a security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)");
            }

            if (!map.TryAdd(name, protocol))
            {
                throw Invalid(ProtocolMapName, text, $"listener name {name} appears twice");
            }
        }

        return map;
    }

    /// <summary>Reads <c>NAME://HOST:PORT</c> entries; names are upper-cased, an IPv6 host loses its brackets.</summary>
    private static List<(string Name, string Host, int Port)> ParseEndpoints(string property, string text)
    {
        var entries = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw Invalid(property, text, "must name at least one listener, such as PLAINTEXT://127.0.0.1:9092");
        }

        var result = new List<(string, string, int)>(entries.Length);
        foreach (var entry in entries)
        {
            var rule = $"'{entry}' is not NAME://HOST:PORT, such as PLAINTEXT://127.0.0.1:9092 or SSL://[::1]:9093";
            var scheme = entry.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0 || !IsName(entry[..scheme]))
            {
                throw Invalid(property, text, rule);
            }

            var address = entry[(scheme + 3)..];
            var colon = address.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                throw Invalid(property, text, rule + " (the port is a number from 0 to 65535)");
            }

            var host = address[..colon];
            if (host.StartsWith('['))
            {
                if (!host.EndsWith(']'))
                {
                    throw Invalid(property, text, rule);
                }

                host = host[1..^1];
            }
            else if (host.Contains(':', StringComparison.Ordinal))
            {
                throw Invalid(property, text, rule + " (write an IPv6 address in brackets)");
            }

            if (host.Length == 0)
            {
                throw Invalid(property, text, $"'{entry}' has no host: give an IP address such as 127.0.0.1 (0.0.0.0 for every interface)");
            }

            result.Add((entry[..scheme].ToUpperInvariant(), host, port));
        }

        return result;
    }

    private static bool IsName(string name) => name.Length > 0 && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-');

    private static BrokerConfigurationException Invalid(string name, string value, string rule) =>
        new($"Invalid value '{value}' for broker setting '{name}': {rule}.");
}
