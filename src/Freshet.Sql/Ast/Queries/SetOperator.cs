namespace Freshet.Sql.Ast;

/// <summary>The operator of a <see cref="SetOperationQuery"/>. <see cref="Intersect"/> binds tighter than the others.</summary>
public enum SetOperator
{
    /// <summary><c>UNION</c>.</summary>
    Union,

    /// <summary><c>INTERSECT</c>.</summary>
    Intersect,

    /// <summary><c>EXCEPT</c> (also written <c>MINUS</c>).</summary>
    Except,
}
