namespace Freshet.Streaming.Keys;

/// <summary>
/// Key groups, the unit of keyed state (DESIGN.md decision 5), with Flink's formulas so that the mapping
/// from key to subtask is the one a Flink user expects:
/// <c>keyGroup = murmur(keyHash) % maxParallelism</c>; key group <c>g</c> belongs to subtask
/// <c>g * parallelism / maxParallelism</c>; subtask <c>s</c> owns a contiguous range. Pure; thread-safe.
/// </summary>
internal static class KeyGroups
{
    /// <summary>The key group of a key whose stable hash (<see cref="KeyHash{TKey}"/>) is <paramref name="keyHash"/>.</summary>
    public static int Of(int keyHash, int maxParallelism) => Murmur(keyHash) % maxParallelism;

    /// <summary>The subtask (operator index) that owns <paramref name="keyGroup"/> at <paramref name="parallelism"/>.</summary>
    public static int SubtaskOf(int keyGroup, int maxParallelism, int parallelism) => keyGroup * parallelism / maxParallelism;

    /// <summary>First and last (inclusive) key group owned by <paramref name="subtask"/>.</summary>
    public static (int First, int Last) RangeOf(int subtask, int maxParallelism, int parallelism)
    {
        var first = ((subtask * maxParallelism) + parallelism - 1) / parallelism;
        var last = (((subtask + 1) * maxParallelism) - 1) / parallelism;
        return (first, last);
    }

    /// <summary>Flink's <c>MathUtils.murmurHash(int)</c>: one murmur3 round and finalizer, made non-negative.</summary>
    public static int Murmur(int code)
    {
        unchecked
        {
            var h = (uint)code;
            h *= 0xcc9e2d51;
            h = (h << 15) | (h >> 17);
            h *= 0x1b873593;
            h = (h << 13) | (h >> 19);
            h = (h * 5) + 0xe6546b64;
            h ^= 4;
            h ^= h >> 16;
            h *= 0x85ebca6b;
            h ^= h >> 13;
            h *= 0xc2b2ae35;
            h ^= h >> 16;
            var result = (int)h;
            if (result >= 0)
            {
                return result;
            }

            return result != int.MinValue ? -result : 0;
        }
    }
}
