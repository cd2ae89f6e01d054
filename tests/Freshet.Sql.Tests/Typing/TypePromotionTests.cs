using Freshet.Sql.Ast;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Typing;

/// <summary>Flink's implicit widening for arithmetic, comparison, common types, casts and INSERT assignment.</summary>
public sealed class TypePromotionTests
{
    private static readonly SqlType[] Numerics =
        [SqlType.TinyInt, SqlType.SmallInt, SqlType.Int, SqlType.BigInt, SqlType.Decimal(10, 2), SqlType.Float, SqlType.Double];

    /// <summary>Rows and columns in the order of <see cref="Numerics"/>: the type of row + column.</summary>
    private static readonly string[,] AdditionTable =
    {
        { "TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL(11, 2)", "FLOAT", "DOUBLE" },
        { "SMALLINT", "SMALLINT", "INT", "BIGINT", "DECIMAL(11, 2)", "FLOAT", "DOUBLE" },
        { "INT", "INT", "INT", "BIGINT", "DECIMAL(13, 2)", "FLOAT", "DOUBLE" },
        { "BIGINT", "BIGINT", "BIGINT", "BIGINT", "DECIMAL(22, 2)", "FLOAT", "DOUBLE" },
        { "DECIMAL(11, 2)", "DECIMAL(11, 2)", "DECIMAL(13, 2)", "DECIMAL(22, 2)", "DECIMAL(11, 2)", "FLOAT", "DOUBLE" },
        { "FLOAT", "FLOAT", "FLOAT", "FLOAT", "FLOAT", "FLOAT", "DOUBLE" },
        { "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE", "DOUBLE" },
    };

    [Fact]
    public void Binary_Addition_FollowsPromotionTable()
    {
        for (var i = 0; i < Numerics.Length; i++)
        {
            for (var j = 0; j < Numerics.Length; j++)
            {
                var result = SqlTypeRules.Binary(BinaryOperator.Add, Numerics[i], Numerics[j]);
                Assert.Equal(AdditionTable[i, j], result!.ToString());
            }
        }
    }

    [Theory]
    [InlineData(BinaryOperator.Multiply, 10, 2, 5, 3, "DECIMAL(15, 5)")]
    [InlineData(BinaryOperator.Divide, 10, 2, 5, 3, "DECIMAL(19, 8)")]
    [InlineData(BinaryOperator.Modulo, 10, 2, 5, 3, "DECIMAL(5, 3)")]
    [InlineData(BinaryOperator.Subtract, 10, 2, 5, 3, "DECIMAL(12, 3)")]
    [InlineData(BinaryOperator.Multiply, 30, 10, 20, 10, "DECIMAL(38, 8)")]
    [InlineData(BinaryOperator.Add, 38, 0, 38, 0, "DECIMAL(38, 0)")]
    public void Binary_Decimals_FollowDocumentedPrecisionRules(BinaryOperator op, int p1, int s1, int p2, int s2, string expected) =>
        Assert.Equal(expected, SqlTypeRules.Binary(op, SqlType.Decimal(p1, s1), SqlType.Decimal(p2, s2))!.ToString());

    [Fact]
    public void Binary_IntegerDivision_StaysInteger() =>
        Assert.Equal("INT", SqlTypeRules.Binary(BinaryOperator.Divide, SqlType.Int, SqlType.SmallInt)!.ToString());

    [Fact]
    public void Binary_NullabilityIsTheOrOfOperands()
    {
        Assert.Equal("BIGINT NOT NULL", SqlTypeRules.Binary(BinaryOperator.Add, SqlType.Int.WithNullable(false), SqlType.BigInt.WithNullable(false))!.ToString());
        Assert.Equal("BIGINT", SqlTypeRules.Binary(BinaryOperator.Add, SqlType.Int, SqlType.BigInt.WithNullable(false))!.ToString());
    }

    [Fact]
    public void Binary_TimestampPlusInterval_KeepsTypeAndDropsTimeAttribute()
    {
        var rowtime = SqlType.Timestamp(3) with { TimeAttribute = TimeAttributeKind.Rowtime };
        Assert.Equal("TIMESTAMP(3)", SqlTypeRules.Binary(BinaryOperator.Subtract, rowtime, SqlType.IntervalDayTime)!.ToString());
        Assert.Equal("DATE", SqlTypeRules.Binary(BinaryOperator.Add, SqlType.IntervalYearMonth, SqlType.Date)!.ToString());
        Assert.Null(SqlTypeRules.Binary(BinaryOperator.Subtract, SqlType.IntervalDayTime, SqlType.Date));
        Assert.Null(SqlTypeRules.Binary(BinaryOperator.Add, SqlType.String, SqlType.Int));
        Assert.Equal("VARCHAR(7)", SqlTypeRules.Binary(BinaryOperator.Concat, SqlType.Char(3), SqlType.Varchar(4))!.ToString());
        Assert.Equal("STRING", SqlTypeRules.Binary(BinaryOperator.Concat, SqlType.String, SqlType.Char(1))!.ToString());
    }

    [Fact]
    public void CommonType_CoversNumericsStringsTimestampsAndNull()
    {
        Assert.Equal("DECIMAL(21, 2)", SqlTypeRules.CommonType(SqlType.BigInt, SqlType.Decimal(5, 2).WithNullable(false))!.ToString());
        Assert.Equal("VARCHAR(5)", SqlTypeRules.CommonType(SqlType.Char(3), SqlType.Char(5))!.ToString());
        Assert.Equal("TIMESTAMP(6)", SqlTypeRules.CommonType(SqlType.Timestamp(3), SqlType.TimestampLtz(6))!.ToString());
        Assert.Equal("INT", SqlTypeRules.CommonType(SqlType.Null, SqlType.Int.WithNullable(false))!.ToString());
        Assert.Null(SqlTypeRules.CommonType(SqlType.Int, SqlType.String));
        Assert.Null(SqlTypeRules.CommonType(SqlType.Boolean, SqlType.Date));
        Assert.True(SqlTypeRules.Comparable(SqlType.TinyInt, SqlType.Double));
        Assert.False(SqlTypeRules.Comparable(SqlType.String, SqlType.Int));
    }

    [Fact]
    public void Castable_AllowsFlinksConversionsOnly()
    {
        Assert.True(SqlTypeRules.Castable(SqlType.String, SqlType.Timestamp(3)));
        Assert.True(SqlTypeRules.Castable(SqlType.Double, SqlType.Decimal(5, 1)));
        Assert.True(SqlTypeRules.Castable(SqlType.Timestamp(3), SqlType.Date));
        Assert.True(SqlTypeRules.Castable(SqlType.Boolean, SqlType.Int));
        Assert.False(SqlTypeRules.Castable(SqlType.Date, SqlType.Time(0)));
        Assert.False(SqlTypeRules.Castable(SqlType.Int, SqlType.Date));
        Assert.False(SqlTypeRules.Castable(SqlType.Array(SqlType.Int), SqlType.String));
        Assert.True(SqlTypeRules.Castable(SqlType.Array(SqlType.Int), SqlType.Array(SqlType.String)));
    }

    [Fact]
    public void Assignable_WidensButNeverNarrows()
    {
        for (var i = 0; i < Numerics.Length; i++)
        {
            for (var j = 0; j < Numerics.Length; j++)
            {
                Assert.Equal(i <= j, SqlTypeRules.Assignable(Numerics[i], Numerics[j]));
            }
        }

        Assert.True(SqlTypeRules.Assignable(SqlType.Decimal(30, 5), SqlType.Decimal(10, 2)));
        Assert.True(SqlTypeRules.Assignable(SqlType.Char(3), SqlType.String));
        Assert.True(SqlTypeRules.Assignable(SqlType.Null, SqlType.Date));
        Assert.False(SqlTypeRules.Assignable(SqlType.BigInt, SqlType.String));
        Assert.False(SqlTypeRules.Assignable(SqlType.Timestamp(3), SqlType.TimestampLtz(3)));
    }

    [Fact]
    public void ToString_PrintsTypeNamesAsDescribeShowsThem()
    {
        Assert.Equal("STRING NOT NULL", SqlType.String.WithNullable(false).ToString());
        Assert.Equal("VARCHAR(10)", SqlType.Varchar(10).ToString());
        Assert.Equal("MAP<STRING, ARRAY<INT NOT NULL>>", SqlType.Map(SqlType.String, SqlType.Array(SqlType.Int.WithNullable(false))).ToString());
        Assert.Equal("ROW<`a` INT, `b` TIMESTAMP_LTZ(3)>", SqlType.Row([new SqlField("a", SqlType.Int), new SqlField("b", SqlType.TimestampLtz(3))]).ToString());
        Assert.Equal("INTERVAL DAY TO SECOND(3)", SqlType.IntervalDayTime.ToString());
        Assert.Equal("TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*", (SqlType.TimestampLtz(3).WithNullable(false) with { TimeAttribute = TimeAttributeKind.Proctime }).ToString());
    }
}
