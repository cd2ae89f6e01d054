namespace Freshet.Sql.Typing;

/// <summary>A named field of a <see cref="SqlTypeKind.Row"/> type; names compare case-sensitively.</summary>
/// <param name="Name">The field name as declared.</param>
/// <param name="Type">The field's type.</param>
public sealed record SqlField(string Name, SqlType Type)
{
    /// <inheritdoc/>
    public override string ToString() => $"`{Name}` {Type}";
}
