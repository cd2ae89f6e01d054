namespace Freshet.Sql.Ast;

/// <summary><c>DESCRIPTOR(ts)</c>: names the time attribute column of a window table-valued function.</summary>
/// <param name="Columns">The named columns; never empty.</param>
public sealed record DescriptorArgument(NodeList<Identifier> Columns) : SqlExpression;
