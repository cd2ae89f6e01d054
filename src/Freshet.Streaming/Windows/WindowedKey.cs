namespace Freshet.Streaming.Windows;

/// <summary>
/// The key under which the general window operator keeps one window's contents in keyed state: a record's key and
/// one of its windows. Its key group is its record key's (the operator passes that hash to the backend), so a window's
/// contents move with their key when a job is restored at another parallelism. Equality compares the window first (two
/// numbers) and the hash mixes all three parts, because on the heap it is a dictionary key probed several times per
/// record.
/// </summary>
/// <param name="Key">The record key.</param>
/// <param name="Window">The window.</param>
internal readonly record struct WindowedKey<TKey>(TKey Key, TimeWindow Window)
{
    public bool Equals(WindowedKey<TKey> other) =>
        Window.Start == other.Window.Start && Window.End == other.Window.End && EqualityComparer<TKey>.Default.Equals(Key, other.Key);

    public override int GetHashCode() => HashCode.Combine(Key, Window.Start, Window.End);
}
