namespace Freshet.Sql.Ast;

/// <summary>The kind of a <see cref="JoinReference"/>.</summary>
public enum JoinKind
{
    /// <summary><c>[INNER] JOIN ... ON</c>.</summary>
    Inner,

    /// <summary><c>LEFT [OUTER] JOIN ... ON</c>.</summary>
    Left,

    /// <summary><c>RIGHT [OUTER] JOIN ... ON</c>.</summary>
    Right,

    /// <summary><c>FULL [OUTER] JOIN ... ON</c>.</summary>
    Full,

    /// <summary><c>CROSS JOIN</c>.</summary>
    Cross,

    /// <summary>A comma between FROM items: a cross join, usually narrowed by WHERE.</summary>
    Comma,
}
