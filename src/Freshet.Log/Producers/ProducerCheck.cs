namespace Freshet.Log.Producers;

/// <summary>The result of <see cref="ProducerStateTable.Check"/>.</summary>
internal readonly record struct ProducerCheck(ProducerCheckOutcome Outcome, long DuplicateBaseOffset = -1, long DuplicateLastOffset = -1, LogErrorCode ErrorCode = LogErrorCode.None, string? Message = null)
{
    public static ProducerCheck Accepted { get; } = new(ProducerCheckOutcome.Accepted);

    public static ProducerCheck Reject(LogErrorCode code, string message) => new(ProducerCheckOutcome.Rejected, ErrorCode: code, Message: message);
}
