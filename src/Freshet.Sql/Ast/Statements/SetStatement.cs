namespace Freshet.Sql.Ast;

/// <summary><c>SET 'key' = 'value'</c> sets a session option; a bare <c>SET</c> lists them.</summary>
/// <param name="Option">The option to set, or null for a bare <c>SET</c>.</param>
public sealed record SetStatement(TableOption? Option) : SqlStatement;
