using System.Reflection;
using System.Runtime.CompilerServices;

namespace Freshet.Streaming.Keys;

/// <summary>
/// The rule for key types (DESIGN.md decision 11; docs/engine.md, "Keys"): a key's hash must be a function of its value
/// alone, the same in every process, and equal for keys that are equal. Accepted, by <see cref="ShapeOf"/>:
/// <list type="bullet">
/// <item>scalars: every integer type, <see cref="bool"/>, <see cref="char"/>, <see cref="float"/>, <see cref="double"/>,
/// <see cref="Half"/>, <see cref="decimal"/>, <see cref="string"/>, <see cref="Guid"/>, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>, <see cref="DateOnly"/>, <see cref="TimeOnly"/>; enums (as their
/// underlying integer); <see cref="byte"/> arrays (by content); <see cref="Nullable{T}"/> of an accepted type;</item>
/// <item>any type implementing <see cref="IStableHashable"/> (its own hash, checked no further);</item>
/// <item>composites whose equality is memberwise by construction: value and reference tuples of any arity, records
/// (class or struct) without a hand-written <c>Equals</c>, anonymous types, and structs that do not define
/// <c>Equals</c> — when every field is itself accepted (checked recursively; a type may contain itself).</item>
/// </list>
/// Refused: <see cref="object"/> and interfaces (the runtime type is unknown when the job is planned), other arrays
/// and classes that compare by reference (equal contents would be different keys), types with a hand-written
/// <c>Equals</c> (a hash derived from fields might disagree with it), pointers and delegates.
/// A composite hashes all its instance fields — exactly what its equality compares — base types' fields first, each
/// type's in declaration order. Pure; thread-safe.
/// </summary>
internal static class KeyTypes
{
    private const BindingFlags DeclaredInstance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<Type, MethodInfo> ScalarHashes = new()
    {
        [typeof(bool)] = Function(nameof(StableHashFunctions.OfBoolean)),
        [typeof(char)] = Function(nameof(StableHashFunctions.OfChar)),
        [typeof(sbyte)] = Function(nameof(StableHashFunctions.OfSByte)),
        [typeof(byte)] = Function(nameof(StableHashFunctions.OfByte)),
        [typeof(short)] = Function(nameof(StableHashFunctions.OfInt16)),
        [typeof(ushort)] = Function(nameof(StableHashFunctions.OfUInt16)),
        [typeof(int)] = Function(nameof(StableHashFunctions.OfInt32)),
        [typeof(uint)] = Function(nameof(StableHashFunctions.OfUInt32)),
        [typeof(long)] = Function(nameof(StableHashFunctions.OfInt64)),
        [typeof(ulong)] = Function(nameof(StableHashFunctions.OfUInt64)),
        [typeof(nint)] = Function(nameof(StableHashFunctions.OfIntPtr)),
        [typeof(nuint)] = Function(nameof(StableHashFunctions.OfUIntPtr)),
        [typeof(Int128)] = Function(nameof(StableHashFunctions.OfInt128)),
        [typeof(UInt128)] = Function(nameof(StableHashFunctions.OfUInt128)),
        [typeof(float)] = Function(nameof(StableHashFunctions.OfSingle)),
        [typeof(double)] = Function(nameof(StableHashFunctions.OfDouble)),
        [typeof(Half)] = Function(nameof(StableHashFunctions.OfHalf)),
        [typeof(decimal)] = Function(nameof(StableHashFunctions.OfDecimal)),
        [typeof(string)] = Function(nameof(StableHashFunctions.OfString)),
        [typeof(Guid)] = Function(nameof(StableHashFunctions.OfGuid)),
        [typeof(DateTime)] = Function(nameof(StableHashFunctions.OfDateTime)),
        [typeof(DateTimeOffset)] = Function(nameof(StableHashFunctions.OfDateTimeOffset)),
        [typeof(TimeSpan)] = Function(nameof(StableHashFunctions.OfTimeSpan)),
        [typeof(DateOnly)] = Function(nameof(StableHashFunctions.OfDateOnly)),
        [typeof(TimeOnly)] = Function(nameof(StableHashFunctions.OfTimeOnly)),
    };

    private static readonly Dictionary<Type, string> Aliases = new()
    {
        [typeof(bool)] = "bool", [typeof(char)] = "char", [typeof(sbyte)] = "sbyte", [typeof(byte)] = "byte",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
        [typeof(string)] = "string", [typeof(object)] = "object",
    };

    /// <summary>The function of <see cref="StableHashFunctions"/> that hashes a scalar type (its one parameter is of that type).</summary>
    public static bool TryGetScalarHash(Type type, out MethodInfo function) => ScalarHashes.TryGetValue(type, out function!);

    /// <summary>How <paramref name="type"/> itself is hashed; its fields' types are not checked (see <see cref="RefusalOf(Type)"/>).</summary>
    public static KeyShape ShapeOf(Type type)
    {
        if (ScalarHashes.ContainsKey(type))
        {
            return KeyShape.Of(KeyShapeKind.Scalar);
        }

        if (type == typeof(byte[]))
        {
            return KeyShape.Of(KeyShapeKind.Bytes);
        }

        if (Nullable.GetUnderlyingType(type) is not null)
        {
            return KeyShape.Of(KeyShapeKind.Nullable);
        }

        if (type.IsEnum)
        {
            return KeyShape.Of(KeyShapeKind.Enum);
        }

        if (typeof(IStableHashable).IsAssignableFrom(type))
        {
            return KeyShape.Of(KeyShapeKind.StableHashable);
        }

        if (type.IsPointer || type.IsFunctionPointer || type.IsByRef || type.ContainsGenericParameters || typeof(Delegate).IsAssignableFrom(type))
        {
            return KeyShape.Refused($"{NameOf(type)} has no value to hash");
        }

        if (type == typeof(object) || type.IsInterface || type == typeof(ValueType) || type == typeof(Enum))
        {
            return KeyShape.Refused($"{NameOf(type)} can hold values of any type, whose hash is not known when the job is planned; use a concrete type, or implement IStableHashable");
        }

        if (type.IsArray)
        {
            return KeyShape.Refused($"{NameOf(type)} compares by reference, so two arrays with equal elements would be different keys (only byte[] is hashed by content); use a record or a tuple");
        }

        if (type.IsValueType)
        {
            return IsTuple(type) || !HasOwnEquals(type)
                ? new KeyShape(KeyShapeKind.Composite, FieldsOf(type), null)
                : KeyShape.Refused(OwnEqualsReason(type));
        }

        for (var t = type; t != typeof(object); t = t.BaseType!)
        {
            if (IsTuple(t) || IsAnonymous(t))
            {
                continue;
            }

            if (!IsRecord(t))
            {
                return KeyShape.Refused(HasOwnEqualsBelowObject(t)
                    ? OwnEqualsReason(t)
                    : $"{NameOf(t)} is a class that compares by reference (it does not override Equals), so two objects with equal contents would be different keys; make it a record or a struct, or implement IStableHashable together with Equals");
            }

            if (HasOwnEquals(t))
            {
                return KeyShape.Refused(OwnEqualsReason(t));
            }
        }

        return new KeyShape(KeyShapeKind.Composite, FieldsOf(type), null);
    }

    /// <summary>
    /// Why <paramref name="type"/> cannot be hashed stably — the type or, for a composite, the first field (at any
    /// depth) that cannot, with its path — or null when it can.
    /// </summary>
    public static string? RefusalOf(Type type) => RefusalOf(type, null, []);

    /// <summary>The type's name as C# code writes it: <c>(string, int)</c>, <c>long?</c>, <c>List&lt;Order&gt;</c>.</summary>
    public static string NameOf(Type type)
    {
        if (Aliases.TryGetValue(type, out var alias))
        {
            return alias;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return NameOf(underlying) + "?";
        }

        if (type.IsArray)
        {
            return NameOf(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (IsAnonymous(type))
        {
            return "an anonymous type";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var arguments = string.Join(", ", type.GetGenericArguments().Select(NameOf));
        if (type.IsValueType && IsTuple(type))
        {
            return "(" + arguments + ")";
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? name : name[..tick]) + "<" + arguments + ">";
    }

    private static string? RefusalOf(Type type, string? path, HashSet<Type> visited)
    {
        // A type seen before is being checked (a type that contains itself) or was accepted: it refuses nothing new.
        if (!visited.Add(type))
        {
            return null;
        }

        var shape = ShapeOf(type);
        switch (shape.Kind)
        {
            case KeyShapeKind.Refused:
                return path is null ? shape.Refusal : $"its field {path} is of type {NameOf(type)}, and {shape.Refusal}";
            case KeyShapeKind.Nullable:
                return RefusalOf(Nullable.GetUnderlyingType(type)!, path, visited);
            case KeyShapeKind.Composite:
                foreach (var field in shape.Fields)
                {
                    var name = MemberName(field);
                    if (RefusalOf(field.FieldType, path is null ? name : path + "." + name, visited) is { } refusal)
                    {
                        return refusal;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The instance fields of <paramref name="type"/> and its base types: base types' first, each type's in declaration (metadata) order.</summary>
    private static FieldInfo[] FieldsOf(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            chain.Add(t);
        }

        chain.Reverse();
        return [.. chain.SelectMany(static t => t.GetFields(DeclaredInstance).OrderBy(static f => f.MetadataToken))];
    }

    /// <summary>The name the user wrote: a property's for its backing field (<c>&lt;Name&gt;k__BackingField</c>).</summary>
    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>', StringComparison.Ordinal) is var end and > 1 ? field.Name[1..end] : field.Name;

    private static bool IsTuple(Type type)
    {
        if (type == typeof(ValueTuple))
        {
            return true;
        }

        if (!type.IsGenericType || type.Namespace != "System")
        {
            return false;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) || definition.Name.StartsWith("Tuple`", StringComparison.Ordinal);
    }

    private static bool IsAnonymous(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && type.Name.Contains("AnonymousType", StringComparison.Ordinal);

    /// <summary>A record class: the compiler gives each one (base and derived) an <c>EqualityContract</c> property.</summary>
    private static bool IsRecord(Type type) =>
        type.GetProperty("EqualityContract", DeclaredInstance)?.GetMethod?.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) == true;

    /// <summary>Whether <paramref name="type"/> declares an <c>Equals</c> the compiler did not generate (a record's own, or any on a struct or class).</summary>
    private static bool HasOwnEquals(Type type) =>
        type.GetMethods(DeclaredInstance).Any(static m =>
            (m.Name == nameof(Equals) || m.Name.EndsWith("." + nameof(Equals), StringComparison.Ordinal))
            && m.GetParameters().Length == 1
            && !m.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false));

    private static bool HasOwnEqualsBelowObject(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            if (HasOwnEquals(t))
            {
                return true;
            }
        }

        return false;
    }

    private static string OwnEqualsReason(Type type) =>
        $"{NameOf(type)} has its own Equals, so a hash that agrees with it cannot be derived from its fields; implement IStableHashable, or make it a record without its own Equals";

    private static MethodInfo Function(string name) =>
        typeof(StableHashFunctions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new MissingMethodException(nameof(StableHashFunctions), name);
}
