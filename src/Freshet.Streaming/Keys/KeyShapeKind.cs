namespace Freshet.Streaming.Keys;

/// <summary>How a key type is hashed (see <see cref="KeyTypes"/>).</summary>
internal enum KeyShapeKind
{
    /// <summary>A primitive, string, <see cref="Guid"/>, decimal or date/time value, hashed by its own function.</summary>
    Scalar,

    /// <summary>A <see cref="byte"/> array, hashed by content.</summary>
    Bytes,

    /// <summary><see cref="Nullable{T}"/>: null hashes as 0, a value as its underlying type's hash.</summary>
    Nullable,

    /// <summary>An enum: hashed as its underlying integer.</summary>
    Enum,

    /// <summary>A type implementing <see cref="IStableHashable"/>: hashed by its own method.</summary>
    StableHashable,

    /// <summary>A tuple, record, anonymous type or struct with memberwise equality: its fields' hashes combined in order.</summary>
    Composite,

    /// <summary>A type that cannot be hashed stably; <see cref="KeyShape.Refusal"/> says why.</summary>
    Refused,
}
