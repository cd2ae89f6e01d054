namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>Looks up an existing topic by name for an assignment; false when no such topic exists.</summary>
internal delegate bool TryResolveTopic(string name, out SubscribedTopic topic);
