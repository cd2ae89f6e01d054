using Freshet.Sql.Syntax;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// A typed expression of the bound tree. Column references point at the input row of the relational node that
/// holds the expression (<see cref="BoundColumnReference.Ordinal"/>). Equality is structural and ignores
/// <see cref="Span"/> and <see cref="Type"/>, so a SELECT expression can be matched against a GROUP BY key.
/// </summary>
public abstract record BoundExpression
{
    /// <summary>The expression's type.</summary>
    public required SqlType Type { get; init; }

    /// <summary>The span of the syntax node this expression was bound from.</summary>
    public SqlSpan Span { get; init; }

    /// <inheritdoc/>
    public virtual bool Equals(BoundExpression? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc/>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
