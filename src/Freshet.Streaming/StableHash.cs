using Freshet.Streaming.Keys;

namespace Freshet.Streaming;

/// <summary>
/// The stable hash by which Freshet places keys in key groups: a function of the value alone, the same in every
/// process, run and machine (docs/engine.md, "Keys"). For implementing <see cref="IStableHashable"/> from the parts of
/// a key. Thread-safe.
/// </summary>
public static class StableHash
{
    /// <summary>The stable hash of <paramref name="value"/>, as a key of type <typeparamref name="T"/> is hashed.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> cannot be hashed stably; the message says why.</exception>
    public static int Of<T>(T value) => KeyHash<T>.Of(value);
}
