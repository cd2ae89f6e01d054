namespace Freshet.Sql.Runtime;

/// <summary>
/// The accumulator of a <see cref="RowAggregateFunction"/>: one state per aggregate call, in call order, each owned
/// by the call's <see cref="SqlAggregator"/>. Mutable: Add, Retract and Merge change it in place and return it, and
/// the operator stores what they return. Not thread-safe (one accumulator belongs to one key of one subtask).
/// </summary>
internal sealed class RowAccumulator
{
    internal RowAccumulator(object[] states) => States = states;

    /// <summary>The per-call states.</summary>
    internal object[] States { get; }
}
