using CsCheck;
using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Streaming.Serialization;
using static Freshet.Sql.Tests.Runtime.SqlFixture;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>
/// Aggregate calls bound from SQL, driven by random add/retract sequences and checked after every step against a
/// direct computation over the rows that remain; accumulators also go through their serializer and through Merge.
/// </summary>
public sealed class AggregateTests
{
    // Each call and its reference result over the remaining rows (columns: i=0, s=2, d=3, dec=4, ts=5, flag=9).
    private static readonly (string Sql, Func<IReadOnlyList<Row>, object?> Expected)[] Calls =
    [
        ("COUNT(*)", rows => (long)rows.Count),
        ("COUNT(i)", rows => (long)Ints(rows).Count()),
        ("COUNT(DISTINCT i)", rows => (long)Ints(rows).Distinct().Count()),
        ("COUNT(DISTINCT s)", rows => (long)Values<string>(rows, 2).Distinct().Count()),
        ("SUM(i)", rows => Ints(rows).Any() ? unchecked((int)Ints(rows).Sum(v => (long)v)) : null),
        ("SUM(DISTINCT i)", rows => Ints(rows).Any() ? unchecked((int)Ints(rows).Distinct().Sum(v => (long)v)) : null),
        ("AVG(i)", rows => Ints(rows).Any() ? unchecked((int)(Ints(rows).Sum(v => (long)v) / Ints(rows).Count())) : null),
        ("AVG(DISTINCT i)", rows => Ints(rows).Any() ? unchecked((int)(Ints(rows).Distinct().Sum(v => (long)v) / Ints(rows).Distinct().Count())) : null),
        ("MIN(i)", rows => Ints(rows).Any() ? Ints(rows).Min() : null),
        ("MAX(i)", rows => Ints(rows).Any() ? Ints(rows).Max() : null),
        ("MIN(s)", rows => Values<string>(rows, 2).OrderBy(v => v, StringComparer.Ordinal).FirstOrDefault()),
        ("MAX(DISTINCT s)", rows => Values<string>(rows, 2).OrderBy(v => v, StringComparer.Ordinal).LastOrDefault()),
        ("SUM(d)", rows => Values<double>(rows, 3).Any() ? Values<double>(rows, 3).Sum() : null),
        ("AVG(d)", rows => Values<double>(rows, 3).Any() ? Values<double>(rows, 3).Average() : null),
        ("SUM(dec)", rows => Values<decimal>(rows, 4).Any() ? SqlValues.WithScale(Values<decimal>(rows, 4).Sum(), 2) : null),
        ("AVG(dec)", rows => Values<decimal>(rows, 4).Any() ? SqlValues.WithScale(Values<decimal>(rows, 4).Sum() / Values<decimal>(rows, 4).Count(), 6) : null),
        ("MAX(dec)", rows => Values<decimal>(rows, 4).Any() ? Values<decimal>(rows, 4).Max() : null),
        ("MAX(ts)", rows => Values<DateTime>(rows, 5).Any() ? Values<DateTime>(rows, 5).Max() : null),
        ("COUNT(*) FILTER (WHERE flag)", rows => (long)rows.Count(r => r[9] is true)),
        ("SUM(i) FILTER (WHERE i > 0)", rows => Ints(rows).Any(v => v > 0) ? unchecked((int)Ints(rows).Where(v => v > 0).Sum(v => (long)v)) : null),
        ("COUNT(DISTINCT i) FILTER (WHERE flag)", rows => (long)Ints(rows.Where(r => r[9] is true).ToList()).Distinct().Count()),
        ("MIN(i) FILTER (WHERE flag IS NOT TRUE)", rows => Ints(rows.Where(r => r[9] is not true).ToList()).Any() ? Ints(rows.Where(r => r[9] is not true).ToList()).Min() : null),
    ];

    [Fact]
    public void AddRetract_RandomSequences_MatchDirectComputationOverRemainingRows()
    {
        var function = SqlAggregates.Create(BoundCalls());
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var remaining = new List<Row>();
            var accumulator = function.CreateAccumulator();
            for (var step = 0; step < 40; step++)
            {
                if (remaining.Count > 0 && random.Next(3) == 0)
                {
                    var index = random.Next(remaining.Count);
                    accumulator = function.Retract(remaining[index], accumulator);
                    remaining.RemoveAt(index);
                }
                else
                {
                    var row = RandomRow(random);
                    accumulator = function.Add(row, accumulator);
                    remaining.Add(row);
                }

                if (random.Next(5) == 0)
                {
                    accumulator = function.AccumulatorSerializer.Deserialize(function.AccumulatorSerializer.SerializeToArray(accumulator));
                }

                AssertResult(function.GetResult(accumulator), remaining, $"seed {seed}, step {step}");
            }
        }, iter: 300);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsOneAccumulatorOfAll()
    {
        var function = SqlAggregates.Create(BoundCalls());
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var rows = Enumerable.Range(0, random.Next(0, 30)).Select(_ => RandomRow(random)).ToList();
            var left = function.CreateAccumulator();
            var right = function.CreateAccumulator();
            foreach (var row in rows)
            {
                if (random.Next(2) == 0)
                {
                    left = function.Add(row, left);
                }
                else
                {
                    right = function.Add(row, right);
                }
            }

            if (rows.Count > 0)
            {
                AssertResult(function.GetResult(function.Merge(left, right)), rows, $"seed {seed}");
            }
        }, iter: 300);
    }

    [Fact]
    public void Retract_AfterAdd_GivesTheEarlierResult()
    {
        var function = SqlAggregates.Create(BoundCalls());
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var accumulator = function.CreateAccumulator();
            for (var i = random.Next(1, 10); i > 0; i--)
            {
                accumulator = function.Add(RandomRow(random), accumulator);
            }

            var before = function.GetResult(accumulator);
            var value = RandomRow(random);
            Assert.Equal(before, function.GetResult(function.Retract(value, function.Add(value, accumulator))));
        }, iter: 300);
    }

    [Fact]
    public void GetResult_EmptyGroup_CountsZeroAndOthersNull()
    {
        var select = Select("SELECT COUNT(*), COUNT(i), SUM(i), AVG(d), MIN(s), MAX(dec) FROM t");
        var function = SqlAggregates.Create(select.Projections.Cast<BoundCall>().ToList());
        Assert.Equal(new Row(0L, 0L, null, null, null, null), function.GetResult(function.CreateAccumulator()));
        var accumulator = function.Add(Nulls, function.CreateAccumulator());
        Assert.Equal(new Row(1L, 0L, null, null, null, null), function.GetResult(accumulator));
    }

    [Fact]
    public void Sum_OfIntegers_WrapsAsJava()
    {
        var select = Select("SELECT SUM(i), SUM(ti) FROM t");
        var function = SqlAggregates.Create(select.Projections.Cast<BoundCall>().ToList());
        var accumulator = function.CreateAccumulator();
        accumulator = function.Add(With(0, int.MaxValue, 13, (sbyte)100), accumulator);
        accumulator = function.Add(With(0, 1, 13, (sbyte)100), accumulator);
        Assert.Equal(new Row(int.MinValue, unchecked((sbyte)200)), function.GetResult(accumulator));
    }

    [Fact]
    public void AccumulatorSerializer_TruncatedBytes_Throw()
    {
        var function = SqlAggregates.Create(BoundCalls());
        var random = new Random(7);
        var accumulator = function.CreateAccumulator();
        for (var i = 0; i < 10; i++)
        {
            accumulator = function.Add(RandomRow(random), accumulator);
        }

        var bytes = function.AccumulatorSerializer.SerializeToArray(accumulator);
        Assert.Equal(function.GetResult(accumulator), function.GetResult(function.AccumulatorSerializer.Deserialize(bytes)));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<System.Runtime.Serialization.SerializationException>(() => function.AccumulatorSerializer.Deserialize(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Create_OverCall_IsRefused()
    {
        var select = Select("SELECT SUM(i) OVER (ORDER BY ts) FROM t");
        Assert.Throws<SqlValidationException>(() => SqlAggregates.Create([(BoundCall)select.Projections[0]]));
    }

    private static List<BoundCall> BoundCalls()
    {
        var select = Select($"SELECT {string.Join(", ", Calls.Select(c => c.Sql))} FROM t");
        return select.Projections.Select(p => Assert.IsType<BoundCall>(p)).ToList();
    }

    private static void AssertResult(Row actual, IReadOnlyList<Row> rows, string context)
    {
        for (var i = 0; i < Calls.Length; i++)
        {
            var expected = Calls[i].Expected(rows);
            Assert.True(Row.ValueEquals(expected, actual[i]) && expected?.GetType() == actual[i]?.GetType(),
                $"{context}: {Calls[i].Sql} expected {new Row([expected])} but got {new Row([actual[i]])}");
        }
    }

    private static Row RandomRow(Random random)
    {
        var values = new object?[19];
        values[0] = random.Next(8) switch { 0 => null, 1 => int.MaxValue - random.Next(2), var k => k - 4 };
        values[2] = random.Next(6) == 0 ? null : ((char)('a' + random.Next(4))).ToString();
        values[3] = random.Next(6) == 0 ? null : (double)random.Next(-5, 6);
        values[4] = random.Next(6) == 0 ? null : random.Next(-40, 40) * 0.25m;
        values[5] = random.Next(6) == 0 ? null : SampleTimestamp.AddSeconds(random.Next(10));
        values[9] = random.Next(3) switch { 0 => null, 1 => true, _ => false };
        return new Row(values);
    }

    private static Row With(params object?[] pairs)
    {
        var values = new object?[19];
        for (var i = 0; i < pairs.Length; i += 2)
        {
            values[(int)pairs[i]!] = pairs[i + 1];
        }

        return new Row(values);
    }

    private static IEnumerable<int> Ints(IReadOnlyList<Row> rows) => Values<int>(rows, 0);

    private static IEnumerable<T> Values<T>(IReadOnlyList<Row> rows, int column) => rows.Where(r => r[column] is not null).Select(r => (T)r[column]!);
}
