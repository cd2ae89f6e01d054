namespace Freshet.Sql.Ast;

/// <summary>
/// An infix operator, from loosest to tightest binding: <see cref="Or"/>; <see cref="And"/>; the comparisons;
/// <see cref="Add"/>, <see cref="Subtract"/>; <see cref="Multiply"/>, <see cref="Divide"/>, <see cref="Modulo"/>,
/// <see cref="Concat"/>. All associate to the left.
/// </summary>
public enum BinaryOperator
{
    /// <summary><c>OR</c>.</summary>
    Or,

    /// <summary><c>AND</c>.</summary>
    And,

    /// <summary><c>=</c>.</summary>
    Equal,

    /// <summary><c>&lt;&gt;</c> (also written <c>!=</c>).</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>IS DISTINCT FROM</c>.</summary>
    IsDistinctFrom,

    /// <summary><c>IS NOT DISTINCT FROM</c>.</summary>
    IsNotDistinctFrom,

    /// <summary><c>+</c>.</summary>
    Add,

    /// <summary><c>-</c>.</summary>
    Subtract,

    /// <summary><c>*</c>.</summary>
    Multiply,

    /// <summary><c>/</c>.</summary>
    Divide,

    /// <summary><c>%</c>.</summary>
    Modulo,

    /// <summary><c>||</c>, string concatenation.</summary>
    Concat,
}
