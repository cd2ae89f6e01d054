using Freshet.Sql.Syntax;

namespace Freshet.Sql.Ast;

/// <summary>
/// A node of the SQL syntax tree. Every node is an immutable record whose equality is structural over its
/// content and ignores <see cref="Span"/>, so a tree parsed from printed text equals the tree it was printed from.
/// The hierarchy is closed (every concrete node is sealed), so a binder walks it with <c>switch</c> on the type.
/// </summary>
public abstract record SqlNode
{
    /// <summary>Where the node's text is in the parsed source; <c>default</c> for nodes built in code.</summary>
    public SqlSpan Span { get; init; }

    /// <summary>Structural equality of the node's content; <see cref="Span"/> is ignored.</summary>
    public virtual bool Equals(SqlNode? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc/>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
