using System.Linq.Expressions;
using System.Reflection;

namespace Freshet.Streaming.Keys;

/// <summary>
/// The hash of the keys of <typeparamref name="TKey"/> that <see cref="KeyHash{TKey}"/> does not compute inline:
/// a delegate compiled once per type, on first use, from the type's <see cref="KeyShape"/>. A composite's delegate reads
/// each field and hashes it — a scalar field by its function, any other field through <see cref="KeyHash{TKey}"/> of
/// the field's type (so a type that contains itself needs no special case) — and combines the hashes with
/// <see cref="StableHashFunctions.Mix"/> and <see cref="StableHashFunctions.Finish"/>; it allocates nothing.
/// For a type <see cref="KeyTypes"/> refuses, the delegate throws <see cref="InvalidOperationException"/> with the reason.
/// The delegate is never given null (<see cref="KeyHash{TKey}"/> hashes null as 0). Thread-safe.
/// </summary>
internal static class KeyHasher<TKey>
{
    /// <summary>The hash of a non-null key.</summary>
    public static readonly Func<TKey, int> Hash = Create();

    private static Func<TKey, int> Create()
    {
        if (KeyTypes.RefusalOf(typeof(TKey)) is { } refusal)
        {
            var message = $"A key of type {KeyTypes.NameOf(typeof(TKey))} cannot be hashed stably: {refusal}.";
            return _ => throw new InvalidOperationException(message);
        }

        var key = Expression.Parameter(typeof(TKey), "key");
        var shape = KeyTypes.ShapeOf(typeof(TKey));
        Expression body = shape.Kind switch
        {
            KeyShapeKind.Scalar or KeyShapeKind.Bytes => HashOf(key, typeof(TKey)),
            KeyShapeKind.Nullable => Expression.Condition(
                Expression.Property(key, nameof(Nullable<int>.HasValue)),
                HashOf(Expression.Call(key, nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes), Nullable.GetUnderlyingType(typeof(TKey))!),
                Expression.Constant(0)),
            KeyShapeKind.Enum => HashOf(Expression.Convert(key, Enum.GetUnderlyingType(typeof(TKey))), Enum.GetUnderlyingType(typeof(TKey))),
            KeyShapeKind.StableHashable => Expression.Call(Function(nameof(StableHashFunctions.OfStableHashable)).MakeGenericMethod(typeof(TKey)), key),
            KeyShapeKind.Composite => Combine(key, shape.Fields),
            _ => throw new InvalidOperationException($"No hash for key shape {shape.Kind}."),
        };
        return Expression.Lambda<Func<TKey, int>>(body, key).Compile();
    }

    /// <summary>Murmur over the fields' hashes in order: <c>Finish(Mix(...Mix(Seed, h1)..., hn), n)</c>.</summary>
    private static MethodCallExpression Combine(Expression key, IReadOnlyList<FieldInfo> fields)
    {
        var mix = Function(nameof(StableHashFunctions.Mix));
        Expression state = Expression.Constant(StableHashFunctions.Seed);
        foreach (var field in fields)
        {
            state = Expression.Call(mix, state, HashOf(Expression.Field(key, field), field.FieldType));
        }

        return Expression.Call(Function(nameof(StableHashFunctions.Finish)), state, Expression.Constant(fields.Count));
    }

    /// <summary>
    /// The hash of <paramref name="value"/> of <paramref name="type"/>: a scalar's or byte array's function called directly,
    /// a struct composite's fields combined in place (the same hash its own delegate gives), anything else through
    /// <see cref="KeyHash{TKey}.Of"/> of its type. (<see cref="Create"/> passes the key itself only when it is a scalar
    /// or byte array, so the delegate calls itself only through a field of a class that contains itself.)
    /// </summary>
    private static MethodCallExpression HashOf(Expression value, Type type)
    {
        if (KeyTypes.TryGetScalarHash(type, out var function))
        {
            return Expression.Call(function, value);
        }

        if (type == typeof(byte[]))
        {
            return Expression.Call(Function(nameof(StableHashFunctions.OfBytes)), value);
        }

        // A struct cannot contain itself, so its fields can be hashed right here, saving a delegate call per record.
        if (type.IsValueType && KeyTypes.ShapeOf(type) is { Kind: KeyShapeKind.Composite } shape)
        {
            return Combine(value, shape.Fields);
        }

        return Expression.Call(typeof(KeyHash<>).MakeGenericType(type).GetMethod(nameof(KeyHash<int>.Of))!, value);
    }

    private static MethodInfo Function(string name) =>
        typeof(StableHashFunctions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new MissingMethodException(nameof(StableHashFunctions), name);
}
