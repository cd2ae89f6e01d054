namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// What changed in one keyed state between two commits: one <see cref="ChangelogRecord"/> per key written since the
/// previous drain, however often it was written, in no defined order (keys are distinct, so order does not matter).
/// Immutable once drained.
/// </summary>
/// <param name="StateName">The state's descriptor name (part of its changelog topic's name).</param>
/// <param name="Records">The changed keys with their contents or tombstones.</param>
internal sealed record ChangelogStateChanges(string StateName, IReadOnlyList<ChangelogRecord> Records);
