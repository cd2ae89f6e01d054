namespace Freshet.Sql.Ast;

/// <summary>
/// A window table-valued function in FROM: <c>TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))</c>.
/// The function is one of TUMBLE, HOP, CUMULATE and SESSION; its arguments are <see cref="TableArgument"/>,
/// <see cref="DescriptorArgument"/>, <see cref="NamedArgument"/> or ordinary expressions.
/// </summary>
/// <param name="Function">The window function: <c>TUMBLE</c>, <c>HOP</c>, <c>CUMULATE</c> or <c>SESSION</c>, in upper case.</param>
/// <param name="Arguments">The arguments in order.</param>
/// <param name="Alias">The alias, or null.</param>
public sealed record TableFunctionReference(string Function, NodeList<SqlExpression> Arguments, TableAlias? Alias) : TableReference;
