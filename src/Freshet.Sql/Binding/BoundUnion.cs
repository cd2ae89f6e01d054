
namespace Freshet.Sql.Binding;

/// <summary><c>UNION ALL</c> (or <c>UNION</c>, which removes duplicates) of two inputs with compatible rows; the
/// output columns take the left names and the common types.</summary>
/// <param name="Left">The left input.</param>
/// <param name="Right">The right input.</param>
/// <param name="All">Whether duplicates are kept.</param>
public sealed record BoundUnion(BoundRelation Left, BoundRelation Right, bool All) : BoundRelation;
