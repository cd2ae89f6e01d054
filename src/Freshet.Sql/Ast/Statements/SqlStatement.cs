namespace Freshet.Sql.Ast;

/// <summary>One SQL statement: DDL (<see cref="CreateTableStatement"/>, <see cref="CreateViewStatement"/>,
/// <see cref="DropStatement"/>), session commands, <see cref="InsertStatement"/>, <see cref="StatementSetStatement"/>,
/// <see cref="ExplainStatement"/> or a <see cref="QueryStatement"/>.</summary>
public abstract record SqlStatement : SqlNode;
