using Freshet.Sql.Ast;

namespace Freshet.Sql.Catalog;

/// <summary>
/// A table created by CREATE TABLE, validated: unique column names, a rowtime column of TIMESTAMP(3) or
/// TIMESTAMP_LTZ(3) when there is a watermark, NOT NULL primary-key columns, a known connector. Immutable.
/// </summary>
/// <param name="Name">The table name.</param>
/// <param name="Columns">The columns in declaration order.</param>
/// <param name="Options">The WITH options; keys compare case-sensitively, as in Flink.</param>
public sealed record CatalogTable(string Name, NodeList<CatalogColumn> Columns, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The primary key's column names, empty when there is none.</summary>
    public NodeList<string> PrimaryKey { get; init; } = new([]);

    /// <summary>The rowtime column named by WATERMARK FOR, or null.</summary>
    public string? RowtimeColumn { get; init; }

    /// <summary>Whether the table was created TEMPORARY.</summary>
    public bool Temporary { get; init; }

    /// <summary>The value of the <c>connector</c> option.</summary>
    public string Connector => Options[SqlCatalog.ConnectorOption];

    /// <summary>
    /// Whether reading the table yields updates: an <c>upsert-kafka</c> table, or a <c>freshet-log</c> table with a
    /// primary key (a compacted log read as an upsert changelog). Other tables are append-only.
    /// </summary>
    public bool IsUpsertSource => Connector == "upsert-kafka" || (Connector == "freshet-log" && PrimaryKey.Count > 0);

    /// <summary>Whether the table is a view of a stream of changes (<c>SqlEnvironment.CreateTemporaryView</c> of a
    /// <c>DataStream&lt;Change&lt;Row&gt;&gt;</c>): reading it yields updates.</summary>
    public bool IsChangelogView { get; init; }

    /// <summary>
    /// Whether an INSERT may write an updating query into the table: upsert tables, and the <c>blackhole</c> and
    /// <c>print</c> sinks. Other sinks accept only append-only queries.
    /// </summary>
    public bool AcceptsUpdates => IsUpsertSource || Connector is "blackhole" or "print";
}
