namespace Freshet.Sql.Binding;

/// <summary>
/// A column of the enclosing query read by a correlated subquery (<c>a.id</c> in
/// <c>WHERE EXISTS (SELECT 1 FROM b WHERE b.id = a.id)</c>). It is never evaluated row by row: the planner
/// decorrelates the subquery into a semi or anti join whose condition reads the column from the left row.
/// </summary>
/// <param name="Ordinal">Position of the column in the input row of the SELECT that holds the subquery, from 0.</param>
/// <param name="Name">The column's name, for messages and EXPLAIN.</param>
public sealed record BoundOuterReference(int Ordinal, string Name) : BoundExpression;
