namespace Freshet.Log.Compaction;

/// <summary>
/// Compares byte arrays by content, as compaction compares record keys. Hash codes come from
/// <see cref="HashCode"/>, which is seeded per process, so crafted keys cannot force collisions
/// across runs. Stateless; thread-safe.
/// </summary>
internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>
{
    public static ByteArrayComparer Instance { get; } = new();

    private ByteArrayComparer()
    {
    }

    public bool Equals(byte[]? x, byte[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj)
    {
        var hash = default(HashCode);
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
