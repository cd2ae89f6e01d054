namespace Freshet.Sql.Ast;

/// <summary>
/// <c>TABLE t [PARTITION BY a, b]</c>: a table passed to a window table-valued function. Only valid as an argument
/// of <see cref="TableFunctionReference"/>.
/// </summary>
/// <param name="Table">The table or view.</param>
/// <param name="PartitionBy">The partition keys (SESSION windows); empty when not written.</param>
public sealed record TableArgument(ObjectName Table, NodeList<SqlExpression> PartitionBy) : SqlExpression;
