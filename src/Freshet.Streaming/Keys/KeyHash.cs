using System.Runtime.CompilerServices;

namespace Freshet.Streaming.Keys;

/// <summary>
/// The stable hash of a key, from which its key group is derived (<see cref="KeyGroups.Of"/>) and with it the subtask
/// that receives the key's records and the place of its state in snapshots (DESIGN.md decision 11). It is a function of
/// the key's value alone — the same in every process, run and machine — and equal for equal keys, so that state
/// restored after a restart lands on the subtask that receives the key.
/// <para>
/// Which types are keys and how each is hashed is <see cref="KeyTypes"/>' rule; the functions are
/// <see cref="StableHashFunctions"/> (Java's <c>hashCode</c> for integers and strings, as Flink). Scalars are hashed
/// here by type tests that the JIT folds for each value type, so a <see cref="long"/> or <see cref="int"/> key costs no
/// branch or call per record; a string key costs what it did before composites existed. Other keys — composites, enums,
/// nullables, byte arrays, <see cref="IStableHashable"/> — go through one delegate compiled once per type
/// (<see cref="KeyHasher{TKey}"/>), which allocates nothing per record. A type <see cref="KeyTypes"/> refuses is
/// refused when the job is planned; hashing one anyway throws <see cref="InvalidOperationException"/>.
/// </para>
/// Thread-safe.
/// </summary>
internal static class KeyHash<TKey>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(TKey key)
    {
        if (typeof(TKey) == typeof(long))
        {
            return StableHashFunctions.OfInt64(Unsafe.As<TKey, long>(ref key));
        }

        if (typeof(TKey) == typeof(int))
        {
            return Unsafe.As<TKey, int>(ref key);
        }

        if (typeof(TKey) == typeof(ulong))
        {
            return StableHashFunctions.OfUInt64(Unsafe.As<TKey, ulong>(ref key));
        }

        if (typeof(TKey) == typeof(uint))
        {
            return StableHashFunctions.OfUInt32(Unsafe.As<TKey, uint>(ref key));
        }

        if (typeof(TKey) == typeof(short))
        {
            return StableHashFunctions.OfInt16(Unsafe.As<TKey, short>(ref key));
        }

        if (typeof(TKey) == typeof(ushort))
        {
            return StableHashFunctions.OfUInt16(Unsafe.As<TKey, ushort>(ref key));
        }

        if (typeof(TKey) == typeof(byte))
        {
            return StableHashFunctions.OfByte(Unsafe.As<TKey, byte>(ref key));
        }

        if (typeof(TKey) == typeof(sbyte))
        {
            return StableHashFunctions.OfSByte(Unsafe.As<TKey, sbyte>(ref key));
        }

        if (typeof(TKey) == typeof(char))
        {
            return StableHashFunctions.OfChar(Unsafe.As<TKey, char>(ref key));
        }

        if (typeof(TKey) == typeof(bool))
        {
            return StableHashFunctions.OfBoolean(Unsafe.As<TKey, bool>(ref key));
        }

        if (typeof(TKey) == typeof(Guid))
        {
            return StableHashFunctions.OfGuid(Unsafe.As<TKey, Guid>(ref key));
        }

        if (typeof(TKey) == typeof(double))
        {
            return StableHashFunctions.OfDouble(Unsafe.As<TKey, double>(ref key));
        }

        if (typeof(TKey) == typeof(float))
        {
            return StableHashFunctions.OfSingle(Unsafe.As<TKey, float>(ref key));
        }

        if (typeof(TKey) == typeof(decimal))
        {
            return StableHashFunctions.OfDecimal(Unsafe.As<TKey, decimal>(ref key));
        }

        if (typeof(TKey) == typeof(DateTime))
        {
            return StableHashFunctions.OfDateTime(Unsafe.As<TKey, DateTime>(ref key));
        }

        if (typeof(TKey) == typeof(DateTimeOffset))
        {
            return StableHashFunctions.OfDateTimeOffset(Unsafe.As<TKey, DateTimeOffset>(ref key));
        }

        if (typeof(TKey) == typeof(TimeSpan))
        {
            return StableHashFunctions.OfTimeSpan(Unsafe.As<TKey, TimeSpan>(ref key));
        }

        if (typeof(TKey) == typeof(string))
        {
            return StableHashFunctions.OfString(Unsafe.As<TKey, string>(ref key));
        }

        return key is null ? 0 : KeyHasher<TKey>.Hash(key);
    }
}
