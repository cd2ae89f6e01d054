using Freshet.Nexmark;
using Freshet.Sql.Ast;
using Freshet.Sql.Parsing;

namespace Freshet.Sql.Tests.Nexmark;

/// <summary>
/// The Nexmark source table, its three views and queries q0–q22 in Flink SQL, written after the nexmark project's
/// Flink queries (nexmark-flink/src/main/resources/queries; q4 and q5 back-quote `dateTime` as the newer versions do).
/// The texts are <see cref="NexmarkSql"/>'s; they must parse and round-trip, except q10's sink, whose PARTITIONED BY
/// the parser refuses by name.
/// </summary>
public sealed class NexmarkQueryTests
{
    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, script) in NexmarkSql.Queries)
        {
            if (name != "q10")
            {
                data.Add(name, script);
            }
        }

        return data;
    }

    [Fact]
    public void SourceTableAndViews_ParseAndRoundTrip()
    {
        foreach (var part in SqlScript.Split(NexmarkSql.SourceTable + "\n" + NexmarkSql.Views))
        {
            RoundTrip.AssertStatement(part.Text);
        }

        var views = SqlParser.ParseScript(NexmarkSql.Views);
        Assert.Equal(3, views.Count);
        Assert.All(views, v => Assert.IsType<CreateViewStatement>(v));
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Query_ParsesAsSinkAndInsert_AndRoundTrips(string name, string script)
    {
        var parts = SqlScript.Split(script);
        Assert.Equal(2, parts.Count);
        var sink = Assert.IsType<CreateTableStatement>(RoundTrip.AssertStatement(parts[0].Text));
        Assert.Equal("nexmark_" + name, sink.Name.Parts[0].Value);
        var insert = Assert.IsType<InsertStatement>(RoundTrip.AssertStatement(parts[1].Text));
        Assert.Equal(sink.Name, insert.Table);
        Assert.Equal(2, SqlParser.ParseScript(script).Count);
    }

    [Fact]
    public void Q10_PartitionedSinkIsRefusedByName_InsertParsesAndRoundTrips()
    {
        var parts = SqlScript.Split(NexmarkSql.Queries["q10"]);
        Assert.Equal(2, parts.Count);
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement(parts[0].Text));
        Assert.Contains("PARTITIONED BY is not supported", error.Message, StringComparison.Ordinal);
        Assert.IsType<InsertStatement>(RoundTrip.AssertStatement(parts[1].Text));
    }

    [Fact]
    public void Setup_ViewAndSideInputTable_ParseAndRoundTrip()
    {
        Assert.Equal(["q12", "q13"], NexmarkSql.Setup.Keys.Order(StringComparer.Ordinal));
        Assert.IsType<CreateViewStatement>(RoundTrip.AssertStatement(SqlScript.Split(NexmarkSql.Setup["q12"]).Single().Text));
        Assert.IsType<CreateTableStatement>(RoundTrip.AssertStatement(SqlScript.Split(NexmarkSql.Setup["q13"]).Single().Text));
    }

    [Fact]
    public void Q5_WindowTableFunction_IsHopOverBidWithDescriptorAndTwoIntervals()
    {
        var script = Queries().Single(row => (string)row[0] == "q5")[1];
        var insert = Assert.IsType<InsertStatement>(SqlParser.ParseScript((string)script)[1]);
        var select = Assert.IsType<SelectQuery>(insert.Query);
        var join = Assert.IsType<JoinReference>(select.From);
        var auctionBids = Assert.IsType<SelectQuery>(Assert.IsType<DerivedTableReference>(join.Left).Query);
        var hop = Assert.IsType<TableFunctionReference>(auctionBids.From);
        Assert.Equal("HOP", hop.Function);
        Assert.Equal(
            [
                new TableArgument(new ObjectName(new NodeList<Identifier>([new Identifier("bid")])), new NodeList<SqlExpression>([])),
                new DescriptorArgument(new NodeList<Identifier>([new Identifier("dateTime")])),
                new IntervalLiteral("2", TimeUnit.Second),
                new IntervalLiteral("10", TimeUnit.Second),
            ],
            hop.Arguments);
        Assert.Equal(3, auctionBids.GroupBy.Count);
    }
}
