namespace Freshet.Log.Topics;

/// <summary>Kafka's rules for topic names: 1–249 characters from <c>[a-zA-Z0-9._-]</c>, not "." or "..".</summary>
public static class TopicNames
{
    /// <summary>Longest legal topic name.</summary>
    public const int MaxLength = 249;

    /// <summary>Returns null if <paramref name="name"/> is legal, else the reason it is not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a topic name cannot be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"a topic name has at most {MaxLength} characters; '{name[..20]}...' has {name.Length}";
        }

        if (name is "." or "..")
        {
            return $"'{name}' is not a legal topic name";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"'{name}' contains '{c}'; topic names use only ASCII letters, digits, '.', '_' and '-'";
            }
        }

        return null;
    }
}
