namespace Freshet.Streaming.Tables;

/// <summary>
/// What one record of a changelog stream does to the table it describes (Flink's <c>RowKind</c>). A table is the
/// result of applying its changelog in order: <see cref="Insert"/> and <see cref="UpdateAfter"/> add a row,
/// <see cref="UpdateBefore"/> and <see cref="Delete"/> withdraw a row that was added before. An update is a pair, the
/// old row withdrawn (<see cref="UpdateBefore"/>) and then the new one added (<see cref="UpdateAfter"/>); consumers
/// that key by a unique key (upsert sinks) may skip the <see cref="UpdateBefore"/> of such a pair.
/// The numeric values are stable (they are written into snapshots) and printed as Flink prints them:
/// <c>+I</c>, <c>-U</c>, <c>+U</c>, <c>-D</c>.
/// </summary>
public enum RowKind : byte
{
    /// <summary>A new row (<c>+I</c>).</summary>
    Insert = 0,

    /// <summary>The old content of an updated row, withdrawn (<c>-U</c>).</summary>
    UpdateBefore = 1,

    /// <summary>The new content of an updated row (<c>+U</c>).</summary>
    UpdateAfter = 2,

    /// <summary>A row removed (<c>-D</c>).</summary>
    Delete = 3,
}
