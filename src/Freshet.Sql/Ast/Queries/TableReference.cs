namespace Freshet.Sql.Ast;

/// <summary>
/// A source in FROM: <see cref="NamedTableReference"/>, <see cref="DerivedTableReference"/>,
/// <see cref="TableFunctionReference"/> or <see cref="JoinReference"/>.
/// </summary>
public abstract record TableReference : SqlNode;
