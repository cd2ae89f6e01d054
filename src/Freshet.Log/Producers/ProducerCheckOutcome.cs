namespace Freshet.Log.Producers;

/// <summary>The verdict on a batch from an idempotent producer.</summary>
internal enum ProducerCheckOutcome
{
    /// <summary>Append it.</summary>
    Accepted,

    /// <summary>Already stored: acknowledge with the original offsets, write nothing.</summary>
    Duplicate,

    /// <summary>Refuse it with the given error.</summary>
    Rejected,
}
