namespace Freshet.Streaming.Windows;

/// <summary>
/// The key under which the general window operator keeps one window's contents in keyed state: a record's key and
/// one of its windows. Its key group is its record key's (the operator passes that hash to the backend), so a window's
/// contents move with their key when a job is restored at another parallelism.
/// </summary>
/// <param name="Key">The record key.</param>
/// <param name="Window">The window.</param>
internal readonly record struct WindowedKey<TKey>(TKey Key, TimeWindow Window);
