namespace Freshet.Sql.Ast;

/// <summary>What a <see cref="ValueConstructor"/> builds.</summary>
public enum ConstructorKind
{
    /// <summary><c>ARRAY[a, b, ...]</c>.</summary>
    Array,

    /// <summary><c>MAP[k1, v1, k2, v2, ...]</c>: keys and values alternate.</summary>
    Map,

    /// <summary><c>ROW(a, b, ...)</c>.</summary>
    Row,
}
