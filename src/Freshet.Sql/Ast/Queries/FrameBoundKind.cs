namespace Freshet.Sql.Ast;

/// <summary>The kind of a <see cref="FrameBound"/>.</summary>
public enum FrameBoundKind
{
    /// <summary><c>UNBOUNDED PRECEDING</c>.</summary>
    UnboundedPreceding,

    /// <summary><c>offset PRECEDING</c>.</summary>
    Preceding,

    /// <summary><c>CURRENT ROW</c>.</summary>
    CurrentRow,

    /// <summary><c>offset FOLLOWING</c>.</summary>
    Following,

    /// <summary><c>UNBOUNDED FOLLOWING</c>.</summary>
    UnboundedFollowing,
}
