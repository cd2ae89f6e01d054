using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>
/// <c>INTERSECT</c> or <c>EXCEPT</c> of two inputs with compatible rows, keyed by the whole row: with
/// <see cref="All"/> a multiset operation (a row appears min(l, r) times for INTERSECT ALL, max(l − r, 0) times for
/// EXCEPT ALL, where l and r count its copies on each side), without it a set operation (once when the condition
/// holds). The output columns take the left names and the common types; the result is updating.
/// </summary>
/// <param name="Left">The left input.</param>
/// <param name="Right">The right input.</param>
/// <param name="Operator"><see cref="SetOperator.Intersect"/> or <see cref="SetOperator.Except"/>.</param>
/// <param name="All">Whether copies are counted (multiset) rather than rows kept once (set).</param>
public sealed record BoundSetOperation(BoundRelation Left, BoundRelation Right, SetOperator Operator, bool All) : BoundRelation;
