namespace Freshet.Sql.Ast;

/// <summary>Where an <see cref="OrderByItem"/> puts NULLs.</summary>
public enum NullOrdering
{
    /// <summary><c>NULLS FIRST</c>.</summary>
    First,

    /// <summary><c>NULLS LAST</c>.</summary>
    Last,
}
