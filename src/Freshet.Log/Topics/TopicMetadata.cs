namespace Freshet.Log.Topics;

/// <summary>The content of a topic's <c>topic.json</c>.</summary>
internal sealed record TopicMetadata(string Name, Guid Id, int Partitions, Dictionary<string, string> Config);
