using Freshet.Sql.Ast;

namespace Freshet.Sql.Parsing;

/// <summary>
/// Binding strength of expression operators, loosest first, shared by the parser and the printer so that printed
/// parentheses are exactly those the parser needs. Binary operators associate to the left: the right operand is
/// parsed one level tighter than the operator. The comparison level also holds IS, BETWEEN, IN and LIKE.
/// </summary>
internal static class Precedence
{
    public const int Or = 1;
    public const int And = 2;
    public const int Not = 3;
    public const int Comparison = 4;
    public const int Additive = 5;
    public const int Multiplicative = 6;
    public const int Unary = 7;
    public const int Postfix = 8;
    public const int Primary = 9;

    /// <summary>The level of <paramref name="op"/>.</summary>
    public static int Of(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => Or,
        BinaryOperator.And => And,
        BinaryOperator.Add or BinaryOperator.Subtract => Additive,
        BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo or BinaryOperator.Concat => Multiplicative,
        _ => Comparison,
    };

    /// <summary>The level of <paramref name="expression"/>'s outermost operator (<see cref="Primary"/> for atoms).</summary>
    public static int Of(SqlExpression expression) => expression switch
    {
        BinaryExpression binary => Of(binary.Operator),
        UnaryExpression { Operator: UnaryOperator.Not } => Not,
        UnaryExpression => Unary,
        IsExpression or BetweenExpression or InListExpression or InSubqueryExpression or LikeExpression => Comparison,
        SubscriptExpression or FieldAccessExpression => Postfix,
        _ => Primary,
    };
}
