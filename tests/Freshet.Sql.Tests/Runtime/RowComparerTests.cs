using Freshet.Sql.Binding;
using Freshet.Sql.Parsing;
using Freshet.Sql.Runtime;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>ORDER BY keys, bound from SQL, order rows with Flink's NULL placement.</summary>
public sealed class RowComparerTests
{
    // Rows of SELECT i, s FROM t.
    private static readonly Row[] Rows = [new(3, "b"), new(null, "a"), new(1, "c"), new(3, "a"), new(2, null)];

    [Theory]
    [InlineData("i", "null:a 1:c 2:null 3:b 3:a")]
    [InlineData("i DESC", "3:b 3:a 2:null 1:c null:a")]
    [InlineData("i ASC NULLS LAST", "1:c 2:null 3:b 3:a null:a")]
    [InlineData("i DESC NULLS FIRST", "null:a 3:b 3:a 2:null 1:c")]
    [InlineData("i DESC, s", "3:a 3:b 2:null 1:c null:a")]
    [InlineData("s DESC, i", "1:c 3:b null:a 3:a 2:null")]
    [InlineData("s NULLS LAST, i DESC", "3:a null:a 3:b 1:c 2:null")]
    [InlineData("i * -1, s", "null:a 3:a 3:b 2:null 1:c")]
    public void Compare_OrderByKeys_SortsAsFlink(string orderBy, string expected)
    {
        var comparer = new RowComparer(SortKeys(orderBy));
        // OrderBy is a stable sort, so ties keep the input order.
        var sorted = Rows.OrderBy(r => r, comparer).Select(r => $"{r[0] ?? "null"}:{r[1] ?? "null"}");
        Assert.Equal(expected, string.Join(' ', sorted));
    }

    [Fact]
    public void Compare_IsAntisymmetricOverAllPairs()
    {
        var comparer = new RowComparer(SortKeys("s DESC NULLS FIRST, i"));
        foreach (var a in Rows)
        {
            foreach (var b in Rows)
            {
                Assert.Equal(Math.Sign(comparer.Compare(a, b)), -Math.Sign(comparer.Compare(b, a)));
            }
        }
    }

    private static IReadOnlyList<BoundSortKey> SortKeys(string orderBy)
    {
        var bound = SqlBinder.Bind(SqlParser.ParseStatement($"SELECT i, s FROM t ORDER BY {orderBy}"), SqlFixture.Catalog());
        return Assert.IsType<BoundSort>(Assert.IsType<BoundQueryStatement>(bound).Query).Keys;
    }
}
