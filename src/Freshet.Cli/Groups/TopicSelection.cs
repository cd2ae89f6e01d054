using System.Globalization;

namespace Freshet.Cli.Groups;

/// <summary>
/// One <c>--topic</c> of <c>freshet groups reset-offsets</c>: a topic (every partition) or <c>TOPIC:P,P,...</c> (those
/// partitions), as <c>kafka-consumer-groups</c> takes it.
/// </summary>
/// <param name="Partitions">The partitions named, distinct and in order; null for every partition of the topic.</param>
internal sealed record TopicSelection(string Topic, IReadOnlyList<int>? Partitions)
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">It is not TOPIC or TOPIC:P,P,...; the message names the problem.</exception>
    public static TopicSelection Parse(string text) => TryParse(text, out var selection, out var problem) ? selection! : throw new ArgumentException(problem);

    /// <summary>Parses <paramref name="text"/>; false with a sentence naming the problem when it is not TOPIC or TOPIC:P,P,...</summary>
    public static bool TryParse(string text, out TopicSelection? selection, out string? problem)
    {
        selection = null;
        problem = null;
        var colon = text.LastIndexOf(':');
        var topic = colon < 0 ? text : text[..colon];
        if (topic.Length == 0)
        {
            problem = $"--topic takes TOPIC or TOPIC:PARTITION,PARTITION,..., got '{text}'.";
            return false;
        }

        if (colon < 0)
        {
            selection = new TopicSelection(topic, null);
            return true;
        }

        var partitions = new SortedSet<int>();
        foreach (var part in text[(colon + 1)..].Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                problem = $"--topic takes TOPIC or TOPIC:PARTITION,PARTITION,... with partitions as numbers from 0, got '{text}'.";
                return false;
            }

            partitions.Add(partition);
        }

        selection = new TopicSelection(topic, partitions.ToArray());
        return true;
    }
}
