namespace Freshet.Broker.Groups;

/// <summary>One assignment protocol a member supports (for consumers: an assignor such as "range"), with its opaque metadata.</summary>
internal sealed record MemberProtocol(string Name, byte[] Metadata);
