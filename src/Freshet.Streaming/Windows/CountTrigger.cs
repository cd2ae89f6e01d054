namespace Freshet.Streaming.Windows;

/// <summary>Makes <see cref="CountTrigger{T}"/>.</summary>
public static class CountTrigger
{
    /// <summary>A trigger firing every <paramref name="maxCount"/> records (at least 1) of a window.</summary>
    public static CountTrigger<T> Of<T>(long maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return new CountTrigger<T>(maxCount);
    }
}
