using Freshet.Nexmark;
using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Sql.Tests.Nexmark;

namespace Freshet.Sql.Tests.Binding;

/// <summary>
/// The Nexmark queries q0–q8 bind against the Nexmark source table and views, with the output schemas and
/// changelog kinds Flink derives; q6 is refused as Flink refuses it: its subquery selects B.dateTime without
/// grouping by it.
/// </summary>
public sealed class NexmarkBindingTests
{
    internal static SqlCatalog NexmarkCatalog()
    {
        var catalog = new SqlCatalog();
        foreach (var statement in SqlParser.ParseScript(NexmarkSql.SourceTable + "\n" + NexmarkSql.Views))
        {
            catalog.Apply(statement);
        }

        return catalog;
    }

    public static TheoryData<string, string, ChangelogKind> Expected() => new()
    {
        { "q0", "auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3) *ROWTIME*, extra STRING", ChangelogKind.AppendOnly },
        { "q1", "auction BIGINT, bidder BIGINT, price DECIMAL(22, 3), dateTime TIMESTAMP(3) *ROWTIME*, extra STRING", ChangelogKind.AppendOnly },
        { "q2", "auction BIGINT, price BIGINT", ChangelogKind.AppendOnly },
        { "q3", "name STRING, city STRING, state STRING, id BIGINT", ChangelogKind.AppendOnly },
        { "q4", "category BIGINT, EXPR$1 BIGINT", ChangelogKind.Updating },
        { "q5", "auction BIGINT, num BIGINT NOT NULL", ChangelogKind.AppendOnly },
        { "q7", "auction BIGINT, price BIGINT, bidder BIGINT, dateTime TIMESTAMP(3), extra STRING", ChangelogKind.AppendOnly },
        { "q8", "id BIGINT, name STRING, starttime TIMESTAMP(3) NOT NULL", ChangelogKind.AppendOnly },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Bind_NexmarkQuery_HasExpectedSchemaAndChangelog(string name, string schema, ChangelogKind changelog)
    {
        var insert = BindQuery(name);
        Assert.Equal(schema, string.Join(", ", insert.Query.Columns));
        Assert.Equal(changelog, insert.Query.Changelog);
        Assert.Equal("nexmark_" + name, insert.Target.Name);
    }

    [Fact]
    public void Bind_Q6_IsRefusedLikeFlink()
    {
        var error = Assert.Throws<SqlValidationException>(() => BindQuery("q6"));
        Assert.Equal("Expression 'dateTime' is not being grouped", error.Problem);
        Assert.Equal((10, 45), (error.Line, error.Column)); // B.dateTime in the subquery
    }

    [Fact]
    public void Describe_NexmarkSource_ShowsComputedRowtimeColumn()
    {
        var catalog = NexmarkCatalog();
        var columns = catalog.Describe((DescribeStatement)SqlParser.ParseStatement("DESCRIBE nexmark"));
        var dateTime = columns.Single(c => c.Name == "dateTime");
        Assert.Equal(CatalogColumnKind.Computed, dateTime.Kind);
        Assert.Equal("TIMESTAMP(3) *ROWTIME*", dateTime.Type.ToString());
        Assert.Equal("dateTime - INTERVAL '4' SECOND", dateTime.Watermark);
        Assert.NotNull(dateTime.Expression);
        Assert.Equal(["auction", "bid", "nexmark", "person"], catalog.ShowTables());
        Assert.Equal(["auction", "bid", "person"], catalog.ShowViews());
    }

    [Fact]
    public void Bind_Q1_InsertsDecimalWithImplicitCast()
    {
        var insert = BindQuery("q1");
        var price = Assert.IsType<BoundCast>(insert.Values[2]);
        Assert.Equal("DECIMAL(23, 3)", price.Type.ToString());
    }

    [Fact]
    public void Bind_Q5_IsWindowAggregationOverHop()
    {
        var insert = BindQuery("q5");
        var join = Assert.IsType<BoundJoin>(Assert.IsType<BoundSelect>(insert.Query).Input);
        var auctionBids = Assert.IsType<BoundSelect>(join.Left);
        Assert.True(auctionBids.IsWindowAggregate);
        var hop = Assert.IsType<BoundWindowTableFunction>(auctionBids.Input);
        Assert.Equal("HOP", hop.Function);
        Assert.Equal("window_time TIMESTAMP(3) NOT NULL *ROWTIME*", hop.Columns[^1].ToString());
    }

    private static BoundInsert BindQuery(string name)
    {
        var catalog = NexmarkCatalog();
        var script = (string)NexmarkQueryTests.Queries().Single(row => (string)row[0] == name)[1];
        var statements = SqlParser.ParseScript(script);
        catalog.Apply(statements[0]);
        return Assert.IsType<BoundInsert>(SqlBinder.Bind(statements[1], catalog));
    }
}
