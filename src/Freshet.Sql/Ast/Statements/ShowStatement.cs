namespace Freshet.Sql.Ast;

/// <summary><c>SHOW TABLES</c> or <c>SHOW VIEWS</c>.</summary>
/// <param name="Kind">What is listed.</param>
public sealed record ShowStatement(ShowObjectKind Kind) : SqlStatement;
