namespace Freshet.Sql.Ast;

/// <summary><c>left UNION [ALL] right</c>, and likewise INTERSECT and EXCEPT; left-associative.</summary>
/// <param name="Left">The left query.</param>
/// <param name="Operator">The operator.</param>
/// <param name="All">Whether <c>ALL</c> was written (duplicates kept); <c>DISTINCT</c> is the default.</param>
/// <param name="Right">The right query.</param>
public sealed record SetOperationQuery(QueryExpression Left, SetOperator Operator, bool All, QueryExpression Right) : QueryExpression;
