
namespace Freshet.Sql.Binding;

/// <summary><c>EXPLAIN statement</c>: the statement is bound (and so validated) but not run.</summary>
/// <param name="Statement">The explained statement.</param>
public sealed record BoundExplain(BoundStatement Statement) : BoundStatement;
