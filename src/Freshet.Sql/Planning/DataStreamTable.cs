using Freshet.Sql.Catalog;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>A catalog table whose rows come from a DataStream of the same environment
/// (<c>SqlEnvironment.CreateTemporaryView</c>).</summary>
/// <param name="Table">Its catalog entry (connector <c>datastream</c>).</param>
/// <param name="Rows">Its rows, already converted and carrying the stream's timestamps and watermarks.</param>
internal sealed record DataStreamTable(CatalogTable Table, DataStream<Change<Row>> Rows);
