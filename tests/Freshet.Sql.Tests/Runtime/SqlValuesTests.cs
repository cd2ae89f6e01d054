using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using static Freshet.Sql.Tests.Runtime.SqlFixture;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>Event-time milliseconds, literals and the value order.</summary>
public sealed class SqlValuesTests
{
    [Fact]
    public void ToEpochMillis_TimestampAndLtz_CountFromEpochInUtc()
    {
        Assert.Equal(1_710_498_030_123L, SqlValues.ToEpochMillis(SampleTimestamp));
        Assert.Equal(1_710_498_030_123L, SqlValues.ToEpochMillis(DateTime.SpecifyKind(SampleTimestamp, DateTimeKind.Local)));
        Assert.Equal(1_710_498_030_123L, SqlValues.ToEpochMillis(new DateTimeOffset(SampleTimestamp.AddHours(2), TimeSpan.FromHours(2))));
        Assert.Equal(-1L, SqlValues.ToEpochMillis(DateTime.UnixEpoch.AddTicks(-1)));
        Assert.Throws<ArgumentException>(() => SqlValues.ToEpochMillis(42));
    }

    [Fact]
    public void FromEpochMillis_RoundTripsThroughToEpochMillis()
    {
        foreach (var millis in new[] { 0L, 1_710_498_030_123L, -86_400_001L })
        {
            var timestamp = Assert.IsType<DateTime>(SqlValues.FromEpochMillis(millis, SqlType.Timestamp(3)));
            var instant = Assert.IsType<DateTimeOffset>(SqlValues.FromEpochMillis(millis, SqlType.TimestampLtz(3)));
            Assert.Equal(millis, SqlValues.ToEpochMillis(timestamp));
            Assert.Equal(millis, SqlValues.ToEpochMillis(instant));
            Assert.Equal(TimeSpan.Zero, instant.Offset);
        }

        Assert.Equal(SampleTimestamp, SqlValues.FromEpochMillis(1_710_498_030_123L, SqlType.Timestamp(3)));
    }

    [Fact]
    public void ParseLiteral_NullAndTypedLiterals()
    {
        Assert.Null(SqlValues.ParseLiteral(Assert.IsType<Freshet.Sql.Binding.BoundLiteral>(Bind("NULL"))));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), SqlValues.ParseLiteral(Assert.IsType<Freshet.Sql.Binding.BoundLiteral>(Bind("INTERVAL '1.5' SECOND"))));
        Assert.Equal(12_345_678_901_234_567_890_123_456m, SqlValues.ParseLiteral(Assert.IsType<Freshet.Sql.Binding.BoundLiteral>(Bind("12345678901234567890123456"))));
        Assert.Throws<SqlValidationException>(() => SqlValues.ParseLiteral(Assert.IsType<Freshet.Sql.Binding.BoundLiteral>(Bind("123456789012345678901234567890123"))));
    }

    [Fact]
    public void Compare_OrdersEachType()
    {
        Assert.True(SqlValues.Compare(false, true) < 0);
        Assert.True(SqlValues.Compare("B", "a") < 0);
        Assert.True(SqlValues.Compare(1.10m, 1.2m) < 0);
        Assert.Equal(0, SqlValues.Compare(1.10m, 1.1m));
        Assert.True(SqlValues.Compare(new byte[] { 1, 255 }, new byte[] { 2 }) < 0);
        Assert.True(SqlValues.Compare(new DateOnly(2024, 1, 1), new DateOnly(2023, 12, 31)) > 0);
        Assert.True(SqlValues.Compare(new Row(1, null), new Row(1, "a")) < 0);
        Assert.True(SqlValues.Compare(new object?[] { 1 }, new object?[] { 1, 2 }) < 0);
        Assert.True(SqlValues.Compare(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)) < 0);
    }
}
