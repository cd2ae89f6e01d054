namespace Freshet.Log.Topics;

/// <summary>
/// The content of a topic's <c>topic.json</c>: every setting in force (<paramref name="Config"/>) and the
/// names of those chosen for the topic (<paramref name="Overrides"/>; null in files written before they were kept).
/// </summary>
internal sealed record TopicMetadata(string Name, Guid Id, int Partitions, Dictionary<string, string> Config, List<string>? Overrides = null);
