using System.Globalization;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// One broker's address, <c>host:port</c>, as Kafka's <c>bootstrap.servers</c> lists them. An IPv6 literal is
/// written in brackets (<c>[::1]:9092</c>). An immutable value.
/// </summary>
/// <param name="Host">A host name or IP literal (without brackets).</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
internal readonly record struct BrokerAddress(string Host, int Port)
{
    /// <summary>The address as <c>host:port</c>, with brackets around an IPv6 literal.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>
    /// Parses a comma-separated list of <c>host:port</c> entries (spaces around entries are ignored), keeping its order.
    /// </summary>
    /// <param name="servers">The list, for example <c>"kafka1:9092,kafka2:9092"</c>.</param>
    /// <param name="parameterName">The name of the setting the list came from, for the error message.</param>
    /// <exception cref="ArgumentException">The list is empty, or an entry lacks a host or a port, or its port is not 1 to 65535.</exception>
    public static IReadOnlyList<BrokerAddress> ParseList(string? servers, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(servers))
        {
            throw new ArgumentException($"{parameterName} must list at least one broker as host:port (for example \"localhost:9092\").", parameterName);
        }

        var addresses = new List<BrokerAddress>();
        foreach (var part in servers.Split(','))
        {
            var entry = part.Trim();
            if (entry.Length == 0)
            {
                throw new ArgumentException($"{parameterName} \"{servers}\" has an empty entry; list brokers as host:port separated by commas.", parameterName);
            }

            addresses.Add(ParseOne(entry, servers, parameterName));
        }

        return addresses;
    }

    private static BrokerAddress ParseOne(string entry, string servers, string parameterName)
    {
        string host;
        string port;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= entry.Length || entry[close + 1] != ':')
            {
                throw Invalid(entry, servers, parameterName, "an IPv6 address must be written as [address]:port");
            }

            host = entry[1..close];
            port = entry[(close + 2)..];
        }
        else
        {
            var colon = entry.LastIndexOf(':');
            if (colon < 0)
            {
                throw Invalid(entry, servers, parameterName, "the port is missing");
            }

            host = entry[..colon];
            port = entry[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw Invalid(entry, servers, parameterName, "an IPv6 address must be written as [address]:port");
            }
        }

        if (host.Length == 0)
        {
            throw Invalid(entry, servers, parameterName, "the host is missing");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw Invalid(entry, servers, parameterName, $"the port \"{port}\" is not a number from 1 to 65535");
        }

        return new BrokerAddress(host, number);
    }

    private static ArgumentException Invalid(string entry, string servers, string parameterName, string why) =>
        new($"{parameterName} \"{servers}\": the entry \"{entry}\" is not host:port ({why}).", parameterName);
}
