namespace Freshet.Streaming;

/// <summary>
/// Names a side output of type <typeparamref name="T"/> (e.g. late records of a window), as in Flink: pass it to
/// the operator that produces it and to <see cref="DataStream{T}.GetSideOutput{TSide}"/> to consume it. Tags are equal when
/// their ids are.
/// </summary>
public sealed class OutputTag<T>
{
    /// <summary>Creates a tag; <paramref name="id"/> must be unique within a job.</summary>
    public OutputTag(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
    }

    /// <summary>The tag's id.</summary>
    public string Id { get; }

    /// <inheritdoc/>
    public override string ToString() => $"OutputTag<{typeof(T).Name}>({Id})";
}
