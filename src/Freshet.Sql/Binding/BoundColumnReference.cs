
namespace Freshet.Sql.Binding;

/// <summary>A column of the input row, by position.</summary>
/// <param name="Ordinal">Position of the column in the input row, from 0.</param>
/// <param name="Name">The column's name, for messages and EXPLAIN.</param>
public sealed record BoundColumnReference(int Ordinal, string Name) : BoundExpression;
