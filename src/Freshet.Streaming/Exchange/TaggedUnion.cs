using System.Text.Json.Serialization;

namespace Freshet.Streaming.Exchange;

/// <summary>
/// A record of a two-input operator: one of the first input (<typeparamref name="T1"/>) or of the second
/// (<typeparamref name="T2"/>). Both inputs feed one gate of these, so the task's watermark is the minimum over the
/// channels of both inputs and a barrier aligns over all of them, as for a one-input task. A struct: no allocation
/// per record. Window joins keep these records as window contents, so <c>Serializers.Default</c> (JSON) must read them
/// back: the constructor is the JSON constructor.
/// </summary>
internal readonly struct TaggedUnion<T1, T2>
{
    [JsonConstructor]
    private TaggedUnion(bool isSecond, T1 first, T2 second)
    {
        IsSecond = isSecond;
        First = first;
        Second = second;
    }

    /// <summary>True for a record of the second input.</summary>
    public bool IsSecond { get; }

    /// <summary>The record of the first input (default when <see cref="IsSecond"/>).</summary>
    public T1 First { get; }

    /// <summary>The record of the second input (default unless <see cref="IsSecond"/>).</summary>
    public T2 Second { get; }

    public static TaggedUnion<T1, T2> OfFirst(T1 value) => new(false, value, default!);

    public static TaggedUnion<T1, T2> OfSecond(T2 value) => new(true, default!, value);
}
