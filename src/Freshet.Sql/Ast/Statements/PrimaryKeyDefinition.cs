namespace Freshet.Sql.Ast;

/// <summary>
/// <c>[CONSTRAINT name] PRIMARY KEY (cols) NOT ENFORCED</c>. Flink SQL does not enforce keys, so NOT ENFORCED is
/// required. A key declared on a column is folded into this table-level form.
/// </summary>
/// <param name="ConstraintName">The constraint name, or null.</param>
/// <param name="Columns">The key columns; never empty.</param>
public sealed record PrimaryKeyDefinition(Identifier? ConstraintName, NodeList<Identifier> Columns) : SqlNode;
