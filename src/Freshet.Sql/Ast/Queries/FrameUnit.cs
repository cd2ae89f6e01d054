namespace Freshet.Sql.Ast;

/// <summary>How a <see cref="WindowFrame"/> measures its extent.</summary>
public enum FrameUnit
{
    /// <summary><c>ROWS</c>: a count of rows.</summary>
    Rows,

    /// <summary><c>RANGE</c>: a distance in the order key (an interval for a time attribute).</summary>
    Range,
}
