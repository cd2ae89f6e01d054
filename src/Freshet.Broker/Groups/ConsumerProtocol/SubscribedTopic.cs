namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>An existing topic as an assignment needs it: its id and partition count.</summary>
internal readonly record struct SubscribedTopic(Guid TopicId, int Partitions);
