using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Freshet.Streaming.State;

/// <summary>
/// A hash of a key that is the same in every process and every run, so that key groups (and with them
/// the placement of keyed state in snapshots) do not change across restarts. <see cref="string.GetHashCode()"/>
/// is randomised per process, so strings are hashed here; primitive keys use Java's <c>hashCode</c>
/// (a <see cref="long"/> key hashes as <c>(int)(v ^ (v &gt;&gt;&gt; 32))</c>). Other types fall back to
/// <see cref="EqualityComparer{T}.Default"/>, which is stable only if the type's <c>GetHashCode</c> is
/// (records of primitives are; records holding strings are not; issue 5 must require a stable hash or
/// serialized-bytes hash for such keys before snapshots are restored in another process).
/// The type tests are folded by the JIT for value types, so the hot path has no branch per record. Thread-safe.
/// </summary>
internal static class KeyHash<TKey>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(TKey key)
    {
        if (typeof(TKey) == typeof(long))
        {
            var v = Unsafe.As<TKey, long>(ref key);
            return (int)(v ^ (v >>> 32));
        }

        if (typeof(TKey) == typeof(int))
        {
            return Unsafe.As<TKey, int>(ref key);
        }

        if (typeof(TKey) == typeof(ulong))
        {
            var v = Unsafe.As<TKey, ulong>(ref key);
            return (int)(v ^ (v >> 32));
        }

        if (typeof(TKey) == typeof(uint) || typeof(TKey) == typeof(short) || typeof(TKey) == typeof(ushort) || typeof(TKey) == typeof(byte) || typeof(TKey) == typeof(char))
        {
            return EqualityComparer<TKey>.Default.GetHashCode(key!);
        }

        if (typeof(TKey) == typeof(Guid))
        {
            var guid = Unsafe.As<TKey, Guid>(ref key);
            Span<int> words = stackalloc int[4];
            guid.TryWriteBytes(MemoryMarshal.AsBytes(words));
            return words[0] ^ words[1] ^ words[2] ^ words[3];
        }

        if (typeof(TKey) == typeof(string))
        {
            return OfString(Unsafe.As<TKey, string>(ref key));
        }

        return key is null ? 0 : EqualityComparer<TKey>.Default.GetHashCode(key);
    }

    /// <summary>Java's <c>String.hashCode</c> over UTF-16 code units: stable and what Flink uses.</summary>
    private static int OfString(string value)
    {
        var h = 0;
        foreach (var c in value)
        {
            h = unchecked((31 * h) + c);
        }

        return h;
    }
}
