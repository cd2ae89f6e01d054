using System.Buffers;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// What <see cref="ChangelogKeyedStateBackend{TKey}"/> needs of each state it hands out, whatever its kind and types:
/// the keys written since the last drain, the current key's contents as a changelog value, and the way back. Both
/// content members act at the current key of the backend's key context. Task thread only.
/// </summary>
internal interface IChangelogState<TKey>
    where TKey : notnull
{
    /// <summary>The descriptor's name.</summary>
    string Name { get; }

    /// <summary>The keys written since the last drain.</summary>
    ChangelogDirtyKeys<TKey> Dirty { get; }

    /// <summary>
    /// Writes the current key's contents in <see cref="ChangelogValueFormat"/> into <paramref name="output"/>; false
    /// (nothing written) when the state holds nothing for the key, i.e. its record is a tombstone. A read of the inner
    /// state: with a time-to-live, an expired entry counts as nothing.
    /// </summary>
    bool TryWriteCurrent(ArrayBufferWriter<byte> output);

    /// <summary>
    /// Makes the current key's contents exactly <paramref name="value"/> (a record in <see cref="ChangelogValueFormat"/>),
    /// or removes them when it is null, writing the inner state directly so nothing is marked. Decodes the whole record
    /// before changing anything, so a malformed record (<see cref="InvalidDataException"/>) leaves the key as it was.
    /// </summary>
    void ApplyCurrent(ReadOnlySpan<byte> value, bool isTombstone);
}
