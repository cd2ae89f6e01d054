namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// The kind of keyed state a changelog record holds, as its second byte (<see cref="ChangelogValueFormat"/>): a
/// record applies only to a state of the same kind, so a state renamed to another kind is refused instead of misread.
/// </summary>
internal enum ChangelogStateKind : byte
{
    /// <summary>A <see cref="State.ValueState{T}"/>: one value.</summary>
    Value = 1,

    /// <summary>A <see cref="State.ListState{T}"/>: the elements in order.</summary>
    List = 2,

    /// <summary>A <see cref="State.MapState{TUserKey, TValue}"/>: the entries.</summary>
    Map = 3,

    /// <summary>A <see cref="State.ReducingState{T}"/>: the reduced value.</summary>
    Reducing = 4,

    /// <summary>An <see cref="State.AggregatingState{TIn, TOut}"/>: the accumulator (not the result).</summary>
    Aggregating = 5,
}
