namespace Freshet.Bench.Scaleout;

/// <summary>
/// One key's result of one event-time window of the scaleout job, and then its running totals: <see cref="Count"/>
/// records and <see cref="Sum"/> of their values in the window, <see cref="RunningCount"/> records of the key over all
/// windows so far (the window operator sets it to <see cref="Count"/>; the keyed running state adds them up). Public
/// so that the repartition topic's JSON serializer can construct it.
/// </summary>
/// <param name="Key">The key: the record's value modulo the job's key count.</param>
/// <param name="Count">Records of the key in the window.</param>
/// <param name="Sum">Sum of the low 8 bits of those records' values.</param>
/// <param name="RunningCount">Records of the key in every window up to and including this one.</param>
public readonly record struct WindowSum(long Key, long Count, long Sum, long RunningCount);
