namespace Freshet.Streaming.Serialization;

/// <summary>
/// A type that names its own serializer, which <see cref="Serializers.Default{T}"/> then uses instead of JSON: for
/// types whose values JSON cannot round-trip (values typed <c>object</c>, spans), such as SQL rows used as keys and
/// in keyed state. The serializer must follow <see cref="ISerializer{T}"/>'s contract, including thread-safety.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IHasDefaultSerializer<TSelf>
{
    /// <summary>The serializer for values of <typeparamref name="TSelf"/>.</summary>
    static abstract ISerializer<TSelf> DefaultSerializer { get; }
}
