using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// A function the binder knows: its kind, how many arguments it takes, and its result type for given argument types
/// (null when the argument types do not fit).
/// </summary>
/// <param name="Name">Upper-case name.</param>
/// <param name="Kind">Scalar, aggregate or ranking.</param>
/// <param name="MinArguments">Fewest arguments.</param>
/// <param name="MaxArguments">Most arguments; <see cref="int.MaxValue"/> for variadic functions.</param>
/// <param name="Result">The result type for the argument types, or null if they do not fit.</param>
internal sealed record FunctionDefinition(
    string Name,
    BoundFunctionKind Kind,
    int MinArguments,
    int MaxArguments,
    Func<IReadOnlyList<SqlType>, SqlType?> Result);
