namespace Freshet.Sql.Planning;

/// <summary>
/// Positions in a list of rows kept sorted by a comparer, as the Top-N operators keep each partition's rows. Rows that
/// compare equal keep their arrival order (ROW_NUMBER numbers ties in the order they came, as Flink's Top-N does), so
/// a new row goes after its equals unless <c>beforeEquals</c> asks for the opposite (window deduplication keeping the
/// last row). Stateless.
/// </summary>
internal static class SortedRows
{
    /// <summary>Where <paramref name="row"/> goes: after every row that sorts before it, and after (or, with
    /// <paramref name="beforeEquals"/>, before) the rows that compare equal to it.</summary>
    public static int InsertionPoint(IReadOnlyList<Row> rows, Row row, IComparer<Row> order, bool beforeEquals = false)
    {
        int low = 0, high = rows.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var comparison = order.Compare(rows[middle], row);
            if (comparison < 0 || (comparison == 0 && !beforeEquals))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>The position of the first row equal to <paramref name="row"/>, or -1.</summary>
    public static int IndexOf(IReadOnlyList<Row> rows, Row row, IComparer<Row> order)
    {
        for (var i = InsertionPoint(rows, row, order, beforeEquals: true); i < rows.Count && order.Compare(rows[i], row) == 0; i++)
        {
            if (rows[i].Equals(row))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The row at 0-based <paramref name="position"/>, or null past the end.</summary>
    public static Row? At(IReadOnlyList<Row> rows, long position) => position < rows.Count ? rows[(int)position] : null;

    /// <summary><paramref name="row"/> with its row number appended.</summary>
    public static Row WithNumber(Row row, long number)
    {
        var values = new object?[row.Arity + 1];
        row.Values.CopyTo(values);
        values[row.Arity] = number;
        return new Row(values);
    }
}
