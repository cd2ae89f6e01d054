using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>
/// An operator or function applied to arguments. <see cref="Function"/> is the upper-case function name
/// (<c>UPPER</c>, <c>COUNT</c>) or operator (<c>+</c>, <c>=</c>, <c>AND</c>, <c>NOT</c>, <c>IS NULL</c>, <c>LIKE</c>,
/// <c>IN</c>, <c>CASE</c>, <c>ITEM</c> for subscripts). CASE arguments are condition, result pairs followed by the
/// ELSE result; BETWEEN is bound as two comparisons joined by AND.
/// </summary>
/// <param name="Function">Upper-case function name or operator symbol.</param>
/// <param name="Kind">Scalar, aggregate or window (ranking) function.</param>
/// <param name="Arguments">The bound arguments in order.</param>
public sealed record BoundCall(string Function, BoundFunctionKind Kind, NodeList<BoundExpression> Arguments) : BoundExpression
{
    /// <summary>Whether the aggregate is over distinct values (<c>COUNT(DISTINCT x)</c>).</summary>
    public bool Distinct { get; init; }

    /// <summary>The aggregate's FILTER (WHERE ...) condition, if any.</summary>
    public BoundExpression? Filter { get; init; }

    /// <summary>The temporary system function called, when <see cref="Function"/> names one rather than a built-in.</summary>
    internal Catalog.CatalogFunction? UserFunction { get; init; }

    /// <summary>The OVER window of an OVER aggregation or ranking function, if any.</summary>
    public BoundOverWindow? Over { get; init; }
}
