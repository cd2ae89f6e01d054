namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// A task's changelog offsets as read from its state directory: the next offset the local state reflects per changelog
/// partition (empty unless <see cref="Outcome"/> is <see cref="ChangelogOffsetsOutcome.Read"/>), and why the file was
/// not used when it was invalid. Immutable.
/// </summary>
/// <param name="Outcome">Whether a file was there and valid.</param>
/// <param name="Offsets">Per changelog partition, the offset of the first record the local state does not reflect.</param>
/// <param name="Problem">Why an invalid file was ignored, for the log; null otherwise.</param>
internal sealed record ChangelogOffsetsReadResult(ChangelogOffsetsOutcome Outcome, IReadOnlyDictionary<ChangelogPartition, long> Offsets, string? Problem);
