namespace Freshet.Sql.Ast;

/// <summary><c>WATERMARK FOR col AS expr</c>: declares the event-time attribute and the watermark strategy.</summary>
/// <param name="Column">The time attribute column (a nested field may be named with dots).</param>
/// <param name="Expression">The watermark computed from it, usually <c>col - INTERVAL '5' SECOND</c>.</param>
public sealed record WatermarkDefinition(NodeList<Identifier> Column, SqlExpression Expression) : SqlNode;
