
namespace Freshet.Sql.Binding;

/// <summary>A SELECT (or VALUES) whose rows go to the caller.</summary>
/// <param name="Query">The bound query.</param>
public sealed record BoundQueryStatement(BoundRelation Query) : BoundStatement;
