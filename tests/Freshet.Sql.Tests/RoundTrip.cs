using Freshet.Sql.Ast;
using Freshet.Sql.Parsing;
using Freshet.Sql.Printing;

namespace Freshet.Sql.Tests;

/// <summary>Parse → print → parse, asserting the two trees are equal and printing is stable.</summary>
internal static class RoundTrip
{
    public static SqlStatement AssertStatement(string sql)
    {
        var parsed = SqlParser.ParseStatement(sql);
        var printed = SqlPrinter.Print(parsed);
        var reparsed = SqlParser.ParseStatement(printed);
        Assert.Equal(parsed, reparsed);
        Assert.Equal(printed, SqlPrinter.Print(reparsed));
        return parsed;
    }

    public static SqlExpression AssertExpression(string sql)
    {
        var parsed = SqlParser.ParseExpression(sql);
        var printed = SqlPrinter.Print(parsed);
        Assert.Equal(parsed, SqlParser.ParseExpression(printed));
        return parsed;
    }
}
