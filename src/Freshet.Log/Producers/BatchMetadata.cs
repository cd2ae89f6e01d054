namespace Freshet.Log.Producers;

/// <summary>Sequence numbers and assigned offsets of one stored batch of an idempotent producer.</summary>
internal readonly record struct BatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long TimestampMs);
