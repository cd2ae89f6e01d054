using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// A bound relation turned into DataStream operators: the stream of its changes, its columns, whether it is
/// append-only, where its window columns are (for window aggregations downstream), and its EXPLAIN node.
/// </summary>
/// <param name="Stream">The relation's rows with their row kinds.</param>
/// <param name="Columns">The output columns, in row order.</param>
/// <param name="Changelog">Append-only or updating.</param>
/// <param name="Plan">The EXPLAIN node.</param>
internal sealed record PlannedRelation(DataStream<Change<Row>> Stream, NodeList<BoundColumn> Columns, ChangelogKind Changelog, PlanNode Plan)
{
    /// <summary>Ordinals of <c>window_start</c> and <c>window_end</c> when the relation carries the window of a window
    /// table function (directly or passed on by projections and window aggregations); null otherwise.</summary>
    public (int Start, int End)? Window { get; init; }

    /// <summary>Flink's changelog-mode text for EXPLAIN.</summary>
    public static string ModeText(ChangelogKind changelog) => changelog == ChangelogKind.AppendOnly ? "I" : "I,UB,UA,D";
}
