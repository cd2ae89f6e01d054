namespace Freshet.Sql.Ast;

/// <summary>A possibly qualified name of a table, view or function: <c>t</c>, <c>db.t</c>, <c>catalog.db.t</c>.</summary>
/// <param name="Parts">The dot-separated parts, outermost first; never empty.</param>
public sealed record ObjectName(NodeList<Identifier> Parts) : SqlNode;
