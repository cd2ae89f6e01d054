namespace Freshet.Sql.Ast;

/// <summary><c>[AS] name [(c1, c2)]</c> after a table reference.</summary>
/// <param name="Name">The correlation name.</param>
/// <param name="Columns">New names for the source's columns; may be empty.</param>
public sealed record TableAlias(Identifier Name, NodeList<Identifier> Columns) : SqlNode;
