namespace Freshet.Sql.Ast;

/// <summary>Two sources joined; joins associate to the left.</summary>
/// <param name="Left">The left source.</param>
/// <param name="Kind">The join kind.</param>
/// <param name="Right">The right source.</param>
/// <param name="Condition">The ON condition; null for <see cref="JoinKind.Cross"/>, <see cref="JoinKind.Comma"/> and USING joins.</param>
/// <param name="Using">The USING columns; empty unless written.</param>
public sealed record JoinReference(TableReference Left, JoinKind Kind, TableReference Right, SqlExpression? Condition, NodeList<Identifier> Using) : TableReference;
