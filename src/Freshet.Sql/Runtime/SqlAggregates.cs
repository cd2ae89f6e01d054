using Freshet.Sql.Binding;

namespace Freshet.Sql.Runtime;

/// <summary>Makes the aggregate function of a GROUP BY's aggregate calls (see <see cref="RowAggregateFunction"/>).</summary>
internal static class SqlAggregates
{
    /// <summary>The function computing <paramref name="calls"/> (BoundCall with Kind Aggregate and no OVER) over the
    /// aggregation's input row; its result row has one value per call, in order, of the call's type.</summary>
    public static RowAggregateFunction Create(IReadOnlyList<BoundCall> calls) => Create(calls, TimeProvider.System);

    /// <summary>As <see cref="Create(IReadOnlyList{BoundCall})"/>, with the clock that arguments reading the time use.</summary>
    public static RowAggregateFunction Create(IReadOnlyList<BoundCall> calls, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(clock);
        return new RowAggregateFunction(calls, clock);
    }
}
