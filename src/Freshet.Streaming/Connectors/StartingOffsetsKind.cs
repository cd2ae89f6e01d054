namespace Freshet.Streaming.Connectors;

/// <summary>The rule of a <see cref="StartingOffsets"/>.</summary>
internal enum StartingOffsetsKind
{
    Earliest,
    Latest,
    Offset,
    Timestamp,
    Committed,
}
