namespace Freshet.Streaming.Tables;

/// <summary>
/// A table with a unique key (Kafka Streams' <c>KTable</c>, Flink's dynamic table with a primary key): a changelog
/// of <typeparamref name="TKey"/>/<typeparamref name="TValue"/> rows, materialised in keyed state by the operators that
/// read it. Invariant of <see cref="Changes"/>: every change of one key is emitted by one subtask, in the order it
/// happened, and it is normalised per key: the first row of a key is an <see cref="RowKind.Insert"/>, a later one an
/// <see cref="RowKind.UpdateBefore"/> of the old row followed by an <see cref="RowKind.UpdateAfter"/> of the new one,
/// and a removal a <see cref="RowKind.Delete"/> of the last row. Like a <see cref="DataStream{T}"/>, a table is a node
/// of the job graph; nothing runs until the environment executes.
/// </summary>
/// <typeparam name="TKey">The unique key; it follows the engine's key rules (docs/engine.md, "Keys").</typeparam>
/// <typeparam name="TValue">The value of a row.</typeparam>
public sealed partial class Table<TKey, TValue>
    where TKey : notnull
{
    internal Table(DataStream<Change<KeyValuePair<TKey, TValue>>> changes)
    {
        Changes = changes;
    }

    /// <summary>The environment the table belongs to.</summary>
    public StreamEnvironment Environment => Changes.Environment;

    /// <summary>The normalised changelog (see the class invariant).</summary>
    internal DataStream<Change<KeyValuePair<TKey, TValue>>> Changes { get; }

    /// <summary>The table's changelog: every insert, update (as a <c>-U</c>/<c>+U</c> pair) and delete, in order per key.</summary>
    public DataStream<Change<KeyValuePair<TKey, TValue>>> ToChangelogStream() => Changes;

    /// <summary>
    /// The table as an upsert stream (Kafka Streams' <c>toStream</c>): each insert or update as the key and its new
    /// value, each delete as the key and <c>default</c> (null for reference types); update-befores are dropped.
    /// </summary>
    public DataStream<KeyValuePair<TKey, TValue?>> ToStream() =>
        Changes.Filter(static c => c.Kind != RowKind.UpdateBefore)
            .Map(static c => new KeyValuePair<TKey, TValue?>(c.Row.Key, c.Kind == RowKind.Delete ? default : c.Row.Value))
            .WithName("ToStream");
}
