
namespace Freshet.Sql.Binding;

/// <summary>
/// What kind of changes a bound query emits, as Flink's planner derives it (see docs/sql.md, "Changelog kinds"):
/// an append-only result only ever inserts rows; an updating result also retracts or updates rows it emitted.
/// </summary>
public enum ChangelogKind
{
    /// <summary>Only inserts: scans of append-only tables, filters and projections of them, window aggregations, OVER
    /// aggregations, and inner joins of append-only inputs.</summary>
    AppendOnly,
    /// <summary>Inserts, update-before, update-after and deletes: GROUP BY without a window, DISTINCT, outer joins,
    /// Top-N, upsert sources, and anything that consumes an updating input.</summary>
    Updating,
}
