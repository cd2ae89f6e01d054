namespace Freshet.Log.Segments;

/// <summary>One offset index entry: the batch with base offset <c>segment base + RelativeOffset</c> starts at byte <c>Position</c>.</summary>
internal readonly record struct OffsetIndexEntry(int RelativeOffset, int Position);
