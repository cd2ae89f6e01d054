namespace Freshet.Sql.Ast;

/// <summary>The direction of an <see cref="OrderByItem"/>.</summary>
public enum SortDirection
{
    /// <summary><c>ASC</c>.</summary>
    Ascending,

    /// <summary><c>DESC</c>.</summary>
    Descending,
}
