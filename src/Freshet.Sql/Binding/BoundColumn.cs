using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>A column of a bound relation's output row.</summary>
/// <param name="Name">The column's name (the alias, the column or field name, or <c>EXPR$n</c>).</param>
/// <param name="Type">The column's type, with nullability and time-attribute mark.</param>
public sealed record BoundColumn(string Name, SqlType Type)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type}";
}
