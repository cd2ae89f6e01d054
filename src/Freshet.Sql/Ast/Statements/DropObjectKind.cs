namespace Freshet.Sql.Ast;

/// <summary>What a <see cref="DropStatement"/> drops.</summary>
public enum DropObjectKind
{
    /// <summary><c>DROP TABLE</c>.</summary>
    Table,

    /// <summary><c>DROP VIEW</c>.</summary>
    View,
}
