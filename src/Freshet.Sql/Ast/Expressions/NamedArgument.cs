namespace Freshet.Sql.Ast;

/// <summary><c>name =&gt; value</c>: an argument passed by name to a table-valued function (<c>SIZE =&gt; INTERVAL '1' MINUTE</c>).</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Value">The argument.</param>
public sealed record NamedArgument(Identifier Name, SqlExpression Value) : SqlExpression;
