namespace Freshet.Streaming.Application.Tasks;

/// <summary>What an operator changelog record holds (<see cref="OperatorChangelogKey"/>).</summary>
internal enum OperatorChangelogKeyKind : byte
{
    /// <summary>One key's contents of one keyed state.</summary>
    StateEntry = 1,

    /// <summary>One whole checkpoint section of the operator (timers, trigger state, a source's position).</summary>
    Section = 2,
}
