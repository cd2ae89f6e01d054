namespace Freshet.Sql.Ast;

/// <summary>What a <see cref="ShowStatement"/> lists.</summary>
public enum ShowObjectKind
{
    /// <summary><c>SHOW TABLES</c>.</summary>
    Tables,

    /// <summary><c>SHOW VIEWS</c>.</summary>
    Views,
}
