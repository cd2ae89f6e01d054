namespace Freshet.Sql.Ast;

/// <summary>A prefix operator.</summary>
public enum UnaryOperator
{
    /// <summary><c>-x</c>.</summary>
    Negate,

    /// <summary><c>+x</c>.</summary>
    Plus,

    /// <summary><c>NOT x</c>.</summary>
    Not,
}
