using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="ValueState{T}"/> of an operator (the name identifies it in snapshots) and its default value.</summary>
public sealed class ValueStateDescriptor<T> : StateDescriptor
{
    /// <summary>Describes a value state called <paramref name="name"/>; reads of an absent key return <paramref name="defaultValue"/>.</summary>
    public ValueStateDescriptor(string name, T defaultValue = default!)
        : base(name)
    {
        DefaultValue = defaultValue;
    }

    /// <summary>The value read for a key that has none.</summary>
    public T DefaultValue { get; }

    /// <summary>
    /// How the RocksDB state backend serializes the values (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<T>? Serializer { get; init; }

    /// <summary>
    /// Makes the state readable from outside the job while it runs, under this name (Flink's <c>setQueryable</c>,
    /// Kafka Streams' interactive queries): <c>JobHandle.GetQueryableTable&lt;TKey, T&gt;(name)</c> reads the latest
    /// value per key, and the job's REST API serves it (docs/interactive-queries.md). Null (default): not queryable.
    /// The name must be unique within the job. Supported in <c>KeyedStream.Process</c> functions; keys are ordered for
    /// scans when the key type is a string (ordinal) or comparable.
    /// </summary>
    public string? QueryableName
    {
        get => _queryableName;
        init
        {
            if (value is not null)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(QueryableName));
            }

            _queryableName = value;
        }
    }

    private readonly string? _queryableName;
}
