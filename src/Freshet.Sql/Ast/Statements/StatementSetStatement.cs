namespace Freshet.Sql.Ast;

/// <summary><c>EXECUTE STATEMENT SET BEGIN insert; insert; ... END</c>: several INSERTs run as one job.</summary>
/// <param name="Inserts">The INSERT statements; never empty.</param>
public sealed record StatementSetStatement(NodeList<InsertStatement> Inserts) : SqlStatement;
