using Freshet.Sql.Typing;

namespace Freshet.Sql;

/// <summary>A column of a SQL result.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Its type.</param>
public sealed record SqlColumn(string Name, SqlType Type)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type}";
}
