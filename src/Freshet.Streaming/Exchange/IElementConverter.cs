namespace Freshet.Streaming.Exchange;

/// <summary>
/// Converts a record as it enters a gate of another element type (see <see cref="ExchangeWriter{TIn, TGate, TConverter}"/>).
/// Implemented by empty structs so that the call is resolved at JIT time and inlined.
/// </summary>
internal interface IElementConverter<TIn, TGate>
{
    TGate Convert(TIn value);
}

/// <summary>The identity: one-input exchanges.</summary>
internal readonly struct IdentityConverter<T> : IElementConverter<T, T>
{
    public T Convert(T value) => value;
}

/// <summary>Tags records of a two-input operator's first input.</summary>
internal readonly struct FirstInputConverter<T1, T2> : IElementConverter<T1, TaggedUnion<T1, T2>>
{
    public TaggedUnion<T1, T2> Convert(T1 value) => TaggedUnion<T1, T2>.OfFirst(value);
}

/// <summary>Tags records of a two-input operator's second input.</summary>
internal readonly struct SecondInputConverter<T1, T2> : IElementConverter<T2, TaggedUnion<T1, T2>>
{
    public TaggedUnion<T1, T2> Convert(T2 value) => TaggedUnion<T1, T2>.OfSecond(value);
}
