namespace Freshet.Streaming.Tables;

/// <summary>Helpers for <see cref="RowKind"/>.</summary>
public static class RowKindExtensions
{
    /// <summary>Flink's short form: <c>+I</c>, <c>-U</c>, <c>+U</c> or <c>-D</c>.</summary>
    public static string ToShortString(this RowKind kind) => kind switch
    {
        RowKind.Insert => "+I",
        RowKind.UpdateBefore => "-U",
        RowKind.UpdateAfter => "+U",
        RowKind.Delete => "-D",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown row kind"),
    };

    /// <summary>Whether a change of this kind adds its row (<see cref="RowKind.Insert"/> or
    /// <see cref="RowKind.UpdateAfter"/>); otherwise it withdraws it.</summary>
    public static bool IsAddition(this RowKind kind) => kind is RowKind.Insert or RowKind.UpdateAfter;
}
