using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Planning;

/// <summary>Changelogs of a table keyed by an integer id, for the property tests that compare a query's materialised
/// result after a changelog prefix with a direct computation.</summary>
internal static class TableChangelogs
{
    /// <summary>
    /// The changelog of applying <paramref name="operations"/> in order to a table keyed by id: a row upserts its id
    /// (<c>+I</c>, or a <c>-U</c>/<c>+U</c> pair), null deletes it (<c>-D</c>, nothing when absent).
    /// </summary>
    public static List<Change<Row>> Of(IEnumerable<(int Id, Row? Row)> operations)
    {
        var table = new Dictionary<int, Row>();
        var changes = new List<Change<Row>>();
        foreach (var (id, row) in operations)
        {
            var present = table.TryGetValue(id, out var old);
            if (row is null)
            {
                if (present)
                {
                    changes.Add(Change.Delete(old!));
                    table.Remove(id);
                }

                continue;
            }

            if (present)
            {
                changes.Add(Change.UpdateBefore(old!));
                changes.Add(Change.UpdateAfter(row));
            }
            else
            {
                changes.Add(Change.Insert(row));
            }

            table[id] = row;
        }

        return changes;
    }

    /// <summary>The rows a changelog leaves, in the order they arrived (a withdrawal removes the first copy of its row).</summary>
    public static List<Row> Apply(IEnumerable<Change<Row>> changes)
    {
        var rows = new List<Row>();
        foreach (var change in changes)
        {
            if (change.IsAddition)
            {
                rows.Add(change.Row);
            }
            else
            {
                rows.Remove(change.Row);
            }
        }

        return rows;
    }
}
