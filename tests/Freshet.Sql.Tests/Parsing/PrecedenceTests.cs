using Freshet.Sql.Ast;
using Freshet.Sql.Parsing;
using Freshet.Sql.Printing;

namespace Freshet.Sql.Tests.Parsing;

public sealed class PrecedenceTests
{
    [Theory]
    [InlineData("a OR b AND c", "a OR (b AND c)")]
    [InlineData("a AND b OR c", "(a AND b) OR c")]
    [InlineData("NOT a AND b", "(NOT a) AND b")]
    [InlineData("NOT a = b", "NOT (a = b)")]
    [InlineData("NOT a OR NOT b", "(NOT a) OR (NOT b)")]
    [InlineData("a = b AND c <> d", "(a = b) AND (c <> d)")]
    [InlineData("a + b * c", "a + (b * c)")]
    [InlineData("a * b + c", "(a * b) + c")]
    [InlineData("a - b - c", "(a - b) - c")]
    [InlineData("a / b / c", "(a / b) / c")]
    [InlineData("a % b * c", "(a % b) * c")]
    [InlineData("a + b || c", "a + (b || c)")]
    [InlineData("a || b || c", "(a || b) || c")]
    [InlineData("-a * b", "(-a) * b")]
    [InlineData("-a.b", "-(a.b)")]
    [InlineData("-arr[1]", "-(arr[1])")]
    [InlineData("a + b = c * d", "(a + b) = (c * d)")]
    [InlineData("a = b = c", "(a = b) = c")]
    [InlineData("a + 1 BETWEEN b AND c + 1 AND d", "((a + 1) BETWEEN b AND (c + 1)) AND d")]
    [InlineData("a NOT BETWEEN 1 AND 2 OR b", "(a NOT BETWEEN 1 AND 2) OR b")]
    [InlineData("a + 1 IS NULL", "(a + 1) IS NULL")]
    [InlineData("NOT a IS NULL", "NOT (a IS NULL)")]
    [InlineData("a = 1 IS TRUE", "(a = 1) IS TRUE")]
    [InlineData("a || 'x' LIKE 'p%' AND b", "((a || 'x') LIKE 'p%') AND b")]
    [InlineData("a IN (1, 2) OR b NOT IN (3)", "(a IN (1, 2)) OR (b NOT IN (3))")]
    [InlineData("ts - INTERVAL '5' SECOND", "ts - (INTERVAL '5' SECOND)")]
    [InlineData("a - -1", "a - (-1)")]
    public void ParseExpression_Operators_BindAsSqlRequires(string sql, string parenthesised) =>
        Assert.Equal(SqlParser.ParseExpression(parenthesised), SqlParser.ParseExpression(sql));

    [Fact]
    public void ParseExpression_Subtraction_IsLeftAssociative()
    {
        var expression = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("a - b - c"));
        Assert.Equal(BinaryOperator.Subtract, expression.Operator);
        Assert.IsType<BinaryExpression>(expression.Left);
        Assert.IsType<ColumnReference>(expression.Right);
        Assert.NotEqual(SqlParser.ParseExpression("a - (b - c)"), expression);
    }

    [Theory]
    [InlineData("a - (b - c)")]
    [InlineData("(a OR b) AND c")]
    [InlineData("-(a + b)")]
    [InlineData("NOT (a OR b)")]
    [InlineData("a * (b + c)")]
    [InlineData("(a = b) = (c = d)")]
    [InlineData("a BETWEEN (b = c) AND d")]
    [InlineData("(a + b)[1]")]
    [InlineData("a = (NOT b)")]
    [InlineData("((a))")]
    public void Print_NeededParentheses_AreKept(string sql) => RoundTrip.AssertExpression(sql);

    [Theory]
    [InlineData("((a + b)) * c", "(a + b) * c")]
    [InlineData("(a * b) + c", "a * b + c")]
    [InlineData("a OR (b AND c)", "a OR b AND c")]
    [InlineData("- - a", "-(-a)")]
    [InlineData("x != 1", "x <> 1")]
    public void Print_Expression_IsCanonical(string sql, string expected) =>
        Assert.Equal(expected, SqlPrinter.Print(SqlParser.ParseExpression(sql)));
}
