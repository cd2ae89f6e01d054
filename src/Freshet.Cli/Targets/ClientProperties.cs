using System.Text.RegularExpressions;

namespace Freshet.Cli.Targets;

/// <summary>
/// A client properties file as <c>--command-config</c> names it (Kafka tools' <c>client.properties</c>): <c>key=value</c>
/// lines of librdkafka settings (<c>security.protocol</c>, <c>sasl.mechanism</c>, <c>sasl.username</c>,
/// <c>sasl.password</c>, ...); <c>#</c> and <c>!</c> start comments. A Java client's
/// <c>sasl.jaas.config=... username="U" password="P";</c> is read as <c>sasl.username</c> and <c>sasl.password</c>.
/// </summary>
internal static partial class ClientProperties
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file cannot be read, or a line is not <c>key=value</c>.</exception>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the client properties file '{path}': {e.Message}", e);
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var separator = line.IndexOfAny(['=', ':']);
            if (separator <= 0)
            {
                throw new CliException($"{path}, line {i + 1}: expected key=value, got '{line}'.");
            }

            var key = line[..separator].Trim();
            var value = line[(separator + 1)..].Trim();
            if (key == "sasl.jaas.config")
            {
                var match = JaasCredentials().Match(value);
                if (!match.Success)
                {
                    throw new CliException($"{path}, line {i + 1}: sasl.jaas.config needs username=\"...\" and password=\"...\".");
                }

                properties["sasl.username"] = match.Groups["user"].Value;
                properties["sasl.password"] = match.Groups["password"].Value;
                continue;
            }

            properties[key] = value;
        }

        return properties;
    }

    [GeneratedRegex("username\\s*=\\s*\"(?<user>[^\"]*)\"[\\s\\S]*?password\\s*=\\s*\"(?<password>[^\"]*)\"")]
    private static partial Regex JaasCredentials();
}
