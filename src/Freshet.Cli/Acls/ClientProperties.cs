using Freshet.Cli.Targets;

namespace Freshet.Cli.Acls;

/// <summary>
/// Reads a Kafka client properties file (<c>--command-config</c>, as Kafka's tools take it): <c>key=value</c> or
/// <c>key: value</c> lines, <c>#</c> and <c>!</c> comments, blank lines ignored. Line continuations and escapes are not
/// read (client settings do not need them). Stateless; thread-safe.
/// </summary>
internal static class ClientProperties
{
    /// <summary>The settings in the file at <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file cannot be read, or a line has no key.</exception>
    public static Dictionary<string, string> Load(string path)
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

            properties[line[..separator].Trim()] = line[(separator + 1)..].Trim();
        }

        return properties;
    }
}
