namespace Freshet.Streaming.Tables;

/// <summary>Makes <see cref="Change{T}"/> values with the row type inferred: <c>Change.Insert(row)</c>.</summary>
public static class Change
{
    /// <summary>An insert of <paramref name="row"/>.</summary>
    public static Change<T> Insert<T>(T row) => new(RowKind.Insert, row);

    /// <summary>The withdrawn old content of an updated row.</summary>
    public static Change<T> UpdateBefore<T>(T row) => new(RowKind.UpdateBefore, row);

    /// <summary>The new content of an updated row.</summary>
    public static Change<T> UpdateAfter<T>(T row) => new(RowKind.UpdateAfter, row);

    /// <summary>A delete of <paramref name="row"/>.</summary>
    public static Change<T> Delete<T>(T row) => new(RowKind.Delete, row);
}
