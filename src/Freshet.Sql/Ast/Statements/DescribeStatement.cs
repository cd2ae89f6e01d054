namespace Freshet.Sql.Ast;

/// <summary><c>DESCRIBE name</c> (also <c>DESC name</c>): the schema of a table or view.</summary>
/// <param name="Name">The table or view.</param>
public sealed record DescribeStatement(ObjectName Name) : SqlStatement;
