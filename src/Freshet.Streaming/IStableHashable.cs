namespace Freshet.Streaming;

/// <summary>
/// A key type that computes its own stable hash, for keys Freshet cannot hash from their fields: a class or struct
/// with its own <see cref="object.Equals(object)"/> (say, case-insensitive names), or one holding values of an
/// interface type. The hash decides the key's key group, and so which subtask receives the key's records and where
/// its state lands in checkpoints; when a type implements this interface, Freshet uses it instead of its own rules.
/// See docs/engine.md, "Keys".
/// </summary>
public interface IStableHashable
{
    /// <summary>
    /// The key's stable hash. It must be the same for keys that are equal by <see cref="object.Equals(object)"/>, and the
    /// same in every process, run and machine: build it from <see cref="StableHash.Of{T}(T)"/> (for example
    /// <c>StableHash.Of((Name.ToUpperInvariant(), Region))</c>), never from <see cref="object.GetHashCode"/> of
    /// strings, tuples, records or <see cref="HashCode"/>, which .NET randomises per process (and not from
    /// <c>StableHash.Of(this)</c>, which would call this method again). Changing it moves keys to other key groups,
    /// so state in existing checkpoints would no longer be found.
    /// </summary>
    int StableHashCode();
}
