using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Connectors;
using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// Turns a bound relation into DataStream operators in one <see cref="StreamEnvironment"/> (DESIGN.md decision 14):
/// each node of the bound tree becomes a stream of <c>Change&lt;Row&gt;</c>. Which operator each node becomes, and
/// what is refused, is listed in docs/sql.md, "How SQL runs". Not thread-safe: one planner plans one statement.
/// </summary>
internal sealed partial class RelationPlanner
{
    private readonly StreamEnvironment _environment;
    private readonly SqlConnectorContext _connectors;
    private readonly IReadOnlyDictionary<string, DataStreamTable> _streamTables;

    /// <param name="environment">Where the operators are added.</param>
    /// <param name="connectors">What table connectors read and write (the log store, the Kafka cluster).</param>
    /// <param name="streamTables">Tables backed by a DataStream of the environment (<c>CreateTemporaryView</c>).</param>
    public RelationPlanner(StreamEnvironment environment, SqlConnectorContext connectors, IReadOnlyDictionary<string, DataStreamTable> streamTables)
    {
        _environment = environment;
        _connectors = connectors;
        _streamTables = streamTables;
    }

    /// <summary>Plans <paramref name="relation"/> and everything below it.</summary>
    /// <exception cref="SqlValidationException">A part of the query that does not run yet, named.</exception>
    public PlannedRelation Plan(BoundRelation relation) => FilterIntoJoin(SubqueriesToJoins(relation)) switch
    {
        BoundTableScan scan => PlanScan(scan),
        BoundSelect select when select.IsWindowAggregate => PlanWindowAggregate(select),
        BoundSelect select when select.IsAggregate || select.Distinct => PlanGroupAggregate(select),
        BoundSelect select when HasOverAggregate(select) => PlanOverAggregate(select),
        BoundSelect select => PlanCalc(select),
        BoundWindowTableFunction window => PlanWindowTableFunction(window),
        BoundJoin join => PlanJoin(join),
        BoundUnion union => PlanUnion(union),
        BoundSetOperation set => PlanSetOperation(set),
        SubqueryJoin join => PlanSubqueryJoin(join),
        BoundValues values => PlanValues(values),
        BoundSort sort => PlanSort(sort),
        _ => throw new SqlValidationException($"{relation.GetType().Name.Replace("Bound", string.Empty, StringComparison.Ordinal)} does not run yet", relation.Span),
    };

    // Flink's FilterJoinRule for inner joins: a WHERE directly over an inner, comma or cross join is part of the join
    // condition (the join's output columns are the WHERE's input columns), so its equalities become the join key and
    // the join is no longer a cross product in one key. Outer joins keep their WHERE, which filters padded rows too.
    private static BoundRelation FilterIntoJoin(BoundRelation relation)
    {
        if (relation is not BoundSelect { Filter: { } filter, Input: BoundJoin { Kind: JoinKind.Inner or JoinKind.Comma or JoinKind.Cross } join } select)
        {
            return relation;
        }

        var condition = join.Condition is null
            ? filter
            : new BoundCall("AND", BoundFunctionKind.Scalar, new([join.Condition, filter])) { Type = SqlType.Boolean };
        return select with { Input = join with { Condition = condition }, Filter = null };
    }

    private static Change<Row> WithRow(Change<Row> change, Row row) => new(change.Kind, row);

    /// <summary>
    /// Runs a row-by-row operator at its input's parallelism, so that it is chained to its input. At another
    /// parallelism the engine would rebalance records round-robin, which would reorder the changes of a key (a
    /// <c>-U</c> overtaken by its <c>+U</c>, a <c>-D</c> by the <c>+I</c> it withdraws) and corrupt every updating result
    /// downstream.
    /// </summary>
    internal static DataStream<TOut> Forwarded<TIn, TOut>(DataStream<TOut> output, DataStream<TIn> input) => output.SetParallelism(input.Parallelism);

    private static Row Concat(Row left, Row right)
    {
        var values = new object?[left.Arity + right.Arity];
        left.Values.CopyTo(values);
        right.Values.CopyTo(values.AsSpan(left.Arity));
        return new Row(values);
    }

    private static Row Nulls(int arity) => new(new object?[arity]);

    private static PlannedRelation Refuse(string feature, BoundRelation relation) =>
        throw new SqlValidationException($"{feature} does not run yet", relation.Span);

    /// <summary>A projection that keeps only <paramref name="ordinals"/> of a row, in that order.</summary>
    private static Func<Row, Row> Pick(IReadOnlyList<int> ordinals)
    {
        var picked = ordinals.ToArray();
        return row =>
        {
            var values = new object?[picked.Length];
            for (var i = 0; i < picked.Length; i++)
            {
                values[i] = row[picked[i]];
            }

            return new Row(values);
        };
    }
}
