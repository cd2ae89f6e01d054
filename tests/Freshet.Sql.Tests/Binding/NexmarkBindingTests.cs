using Freshet.Nexmark;
using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Sql.Tests.Nexmark;

namespace Freshet.Sql.Tests.Binding;

/// <summary>
/// The Nexmark queries bind against the Nexmark source table and views, with the output schemas and changelog kinds
/// Flink derives; q6 is refused as Flink refuses it (its subquery selects B.dateTime without grouping by it), q13 for
/// its temporal join. (q10's sink does not parse: PARTITIONED BY is refused by name.)
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
        { "q9", "id BIGINT, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra STRING, auction BIGINT, bidder BIGINT, price BIGINT, bid_dateTime TIMESTAMP(3), bid_extra STRING", ChangelogKind.Updating },
        { "q11", "bidder BIGINT, bid_count BIGINT NOT NULL, starttime TIMESTAMP(3) NOT NULL, endtime TIMESTAMP(3) NOT NULL", ChangelogKind.AppendOnly },
        { "q12", "bidder BIGINT, bid_count BIGINT NOT NULL, starttime TIMESTAMP(3) NOT NULL, endtime TIMESTAMP(3) NOT NULL", ChangelogKind.AppendOnly },
        { "q14", "auction BIGINT, bidder BIGINT, price DECIMAL(22, 3), bidTimeType VARCHAR(9) NOT NULL, dateTime TIMESTAMP(3) *ROWTIME*, extra STRING, c_counts BIGINT NOT NULL", ChangelogKind.AppendOnly },
        { "q15", "day STRING, total_bids BIGINT NOT NULL, rank1_bids BIGINT NOT NULL, rank2_bids BIGINT NOT NULL, rank3_bids BIGINT NOT NULL, total_bidders BIGINT NOT NULL, rank1_bidders BIGINT NOT NULL, rank2_bidders BIGINT NOT NULL, rank3_bidders BIGINT NOT NULL, total_auctions BIGINT NOT NULL, rank1_auctions BIGINT NOT NULL, rank2_auctions BIGINT NOT NULL, rank3_auctions BIGINT NOT NULL", ChangelogKind.Updating },
        { "q16", "channel STRING, day STRING, minute STRING, total_bids BIGINT NOT NULL, rank1_bids BIGINT NOT NULL, rank2_bids BIGINT NOT NULL, rank3_bids BIGINT NOT NULL, total_bidders BIGINT NOT NULL, rank1_bidders BIGINT NOT NULL, rank2_bidders BIGINT NOT NULL, rank3_bidders BIGINT NOT NULL, total_auctions BIGINT NOT NULL, rank1_auctions BIGINT NOT NULL, rank2_auctions BIGINT NOT NULL, rank3_auctions BIGINT NOT NULL", ChangelogKind.Updating },
        { "q17", "auction BIGINT, day STRING, total_bids BIGINT NOT NULL, rank1_bids BIGINT NOT NULL, rank2_bids BIGINT NOT NULL, rank3_bids BIGINT NOT NULL, min_price BIGINT, max_price BIGINT, avg_price BIGINT, sum_price BIGINT", ChangelogKind.Updating },
        { "q18", "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3) *ROWTIME*, extra STRING", ChangelogKind.Updating },
        { "q19", "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3) *ROWTIME*, extra STRING, rank_number BIGINT NOT NULL", ChangelogKind.Updating },
        // Flink (Calcite) would name the second dateTime and extra dateTime0 and extra0; Freshet keeps the duplicates.
        { "q20", "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3), extra STRING, itemName STRING, description STRING, initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra STRING", ChangelogKind.AppendOnly },
        { "q21", "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, channel_id STRING", ChangelogKind.AppendOnly },
        { "q22", "auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, dir1 STRING, dir2 STRING, dir3 STRING", ChangelogKind.AppendOnly },
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

    /// <summary>q13's FOR SYSTEM_TIME AS OF binds as a processing-time temporal join with the side input.</summary>
    [Fact]
    public void Bind_Q13_IsAProcessingTimeTemporalJoin()
    {
        var insert = BindQuery("q13");
        var join = RelationsBelow(insert.Query).OfType<BoundJoin>().Single();
        Assert.NotNull(join.SystemTimeAsOf);
        Assert.Equal(JoinKind.Inner, join.Kind);
    }

    private static IEnumerable<BoundRelation> RelationsBelow(BoundRelation relation)
    {
        yield return relation;
        var children = relation switch
        {
            BoundSelect select when select.Input is not null => [select.Input],
            BoundJoin join => [join.Left, join.Right],
            _ => Array.Empty<BoundRelation>(),
        };
        foreach (var child in children)
        {
            foreach (var node in RelationsBelow(child))
            {
                yield return node;
            }
        }
    }

    private static BoundInsert BindQuery(string name)
    {
        var catalog = NexmarkCatalog();
        catalog.AddFunction(CatalogFunction.Create("count_char", NexmarkSql.CountChar, null, null));
        if (NexmarkSql.Setup.TryGetValue(name, out var setup))
        {
            catalog.Apply(SqlParser.ParseScript(setup).Single());
        }

        var script = (string)NexmarkQueryTests.Queries().Single(row => (string)row[0] == name)[1];
        var statements = SqlParser.ParseScript(script);
        catalog.Apply(statements[0]);
        return Assert.IsType<BoundInsert>(SqlBinder.Bind(statements[1], catalog));
    }
}
