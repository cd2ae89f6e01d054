using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary><c>EXECUTE STATEMENT SET BEGIN ... END</c>: inserts planned and run as one job.</summary>
/// <param name="Inserts">The bound inserts in order.</param>
public sealed record BoundStatementSet(NodeList<BoundInsert> Inserts) : BoundStatement;
