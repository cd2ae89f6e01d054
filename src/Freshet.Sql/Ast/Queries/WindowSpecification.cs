namespace Freshet.Sql.Ast;

/// <summary>
/// The window of an OVER clause or a named window: <c>(PARTITION BY a ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR
/// PRECEDING AND CURRENT ROW)</c>. <c>OVER w</c> is a specification with only <see cref="BaseWindow"/> set.
/// </summary>
/// <param name="BaseWindow">A named window this one refines, or null.</param>
/// <param name="PartitionBy">The partition keys; may be empty.</param>
/// <param name="OrderBy">The order keys; may be empty.</param>
/// <param name="Frame">The frame, or null for the default frame.</param>
public sealed record WindowSpecification(Identifier? BaseWindow, NodeList<SqlExpression> PartitionBy, NodeList<OrderByItem> OrderBy, WindowFrame? Frame) : SqlNode;
