using System.Collections;
using Freshet.Sql.Ast;
using Freshet.Sql.Parsing;

namespace Freshet.Sql.Tests.Parsing;

/// <summary>Every node the parser builds carries a non-empty span inside the text, and inside its parent's span.</summary>
public sealed class SpanTests
{
    [Theory]
    [MemberData(nameof(StatementRoundTripTests.Statements), MemberType = typeof(StatementRoundTripTests))]
    public void ParseStatement_EveryNode_HasASpanWithinItsParent(string sql)
    {
        var statement = SqlParser.ParseStatement(sql);
        var nodes = 0;
        Walk(statement, null, sql, ref nodes);
        Assert.True(nodes >= 1);
    }

    [Theory]
    [MemberData(nameof(Nexmark.NexmarkQueryTests.Queries), MemberType = typeof(Nexmark.NexmarkQueryTests))]
    public void ParseScript_NexmarkQueries_EveryNodeHasASpanWithinItsParent(string name, string script)
    {
        var nodes = 0;
        foreach (var statement in SqlParser.ParseScript(script))
        {
            Walk(statement, null, script, ref nodes);
        }

        Assert.True(nodes > 10, name);
    }

    private static void Walk(SqlNode node, SqlNode? parent, string sql, ref int count)
    {
        count++;
        Assert.True(node.Span.Length > 0, $"{node.GetType().Name} '{node}' has no span");
        Assert.InRange(node.Span.End, 1, sql.Length);
        if (parent is not null)
        {
            Assert.True(
                node.Span.Offset >= parent.Span.Offset && node.Span.End <= parent.Span.End,
                $"{node.GetType().Name} at {node.Span.Offset}+{node.Span.Length} lies outside its parent {parent.GetType().Name} at {parent.Span.Offset}+{parent.Span.Length}");
        }

        foreach (var property in node.GetType().GetProperties())
        {
            if (property.Name == "EqualityContract" || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            switch (property.GetValue(node))
            {
                case SqlNode child:
                    Walk(child, node, sql, ref count);
                    break;
                case IEnumerable items and not string:
                    foreach (var item in Flatten(items))
                    {
                        Walk(item, node, sql, ref count);
                    }

                    break;
            }
        }
    }

    private static IEnumerable<SqlNode> Flatten(IEnumerable items)
    {
        foreach (var item in items)
        {
            if (item is SqlNode node)
            {
                yield return node;
            }
            else if (item is IEnumerable nested and not string)
            {
                foreach (var inner in Flatten(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
