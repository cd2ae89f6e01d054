namespace Freshet.Sql.Ast;

/// <summary>One end of a <see cref="WindowFrame"/>.</summary>
/// <param name="Kind">The kind of bound.</param>
/// <param name="Offset">The row count or interval of <see cref="FrameBoundKind.Preceding"/> and <see cref="FrameBoundKind.Following"/>; null otherwise.</param>
public sealed record FrameBound(FrameBoundKind Kind, SqlExpression? Offset) : SqlNode;
