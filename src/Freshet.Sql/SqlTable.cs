using Freshet.Sql.Binding;
using Freshet.Sql.Planning;

namespace Freshet.Sql;

/// <summary>
/// A query planned into a <see cref="Freshet.Streaming.StreamEnvironment"/> by <see cref="SqlEnvironment.SqlQuery"/>
/// (Flink's <c>Table</c>): turn it into a stream with <see cref="SqlEnvironment.ToDataStream"/> or
/// <see cref="SqlEnvironment.ToChangelogStream"/>; it runs when the environment executes.
/// </summary>
public sealed class SqlTable
{
    internal SqlTable(SqlEnvironment owner, PlannedRelation planned)
    {
        Owner = owner;
        Planned = planned;
    }

    /// <summary>The columns of its rows.</summary>
    public IReadOnlyList<SqlColumn> Columns => Planned.Columns.Select(c => new SqlColumn(c.Name, c.Type)).ToArray();

    /// <summary>Whether its rows only ever insert, or also update and delete.</summary>
    public ChangelogKind Changelog => Planned.Changelog;

    /// <summary>The plan, as EXPLAIN shows it.</summary>
    public string Explain() => Planned.Plan.Render();

    internal SqlEnvironment Owner { get; }

    internal PlannedRelation Planned { get; }
}
