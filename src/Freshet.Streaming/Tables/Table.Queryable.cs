using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>Interactive queries of a table (docs/interactive-queries.md).</summary>
public sealed partial class Table<TKey, TValue>
{
    /// <summary>
    /// Makes the table readable from outside the job while it runs, under <paramref name="name"/> (Kafka Streams'
    /// <c>Materialized.as(name)</c> with interactive queries): a keyed operator, keyed by <typeparamref name="TKey"/>,
    /// keeps the latest value of every key in queryable value state — an insert or update-after sets it, a delete clears
    /// it, an update-before is skipped — and passes every change on unchanged. Read it with
    /// <c>JobHandle.GetQueryableTable&lt;TKey, TValue&gt;(name)</c> or the job's REST API (<c>/api/job/tables</c>).
    /// </summary>
    /// <param name="name">The table's name, unique within the job.</param>
    /// <returns>A table with the same changes, so that calls chain.</returns>
    /// <exception cref="InvalidOperationException">Another queryable table of the job has the name.</exception>
    public Table<TKey, TValue> Queryable(string name)
    {
        DataStream<Change<KeyValuePair<TKey, TValue>>>? materialized = null;
        var environment = Environment;
        environment.ClaimQueryableTableName(name, registry =>
            registry.Declare<TKey, TValue>(name, materialized!.Node.Uid, materialized.Parallelism, environment.Options.MaxParallelism));
        materialized = Changes.KeyBy(static c => c.Row.Key)
            .Process(new MaterializeLatest(name))
            .WithName($"Queryable: {name}");
        return new Table<TKey, TValue>(materialized);
    }

    /// <summary>
    /// Applies the changelog to one queryable value per key and forwards each change. The input is normalised per key
    /// (see the class invariant), so applying in arrival order gives the table's latest value.
    /// </summary>
    private sealed class MaterializeLatest(string tableName) : KeyedProcessFunction<TKey, Change<KeyValuePair<TKey, TValue>>, Change<KeyValuePair<TKey, TValue>>>
    {
        private ValueState<TValue>? _latest;

        public override void Open(RuntimeContext context) =>
            _latest = context.GetState(new ValueStateDescriptor<TValue>("latest") { QueryableName = tableName });

        public override void ProcessElement(Change<KeyValuePair<TKey, TValue>> value, KeyedProcessContext<TKey> context, Collector<Change<KeyValuePair<TKey, TValue>>> output)
        {
            switch (value.Kind)
            {
                case RowKind.Insert or RowKind.UpdateAfter:
                    _latest!.Update(value.Row.Value);
                    break;
                case RowKind.Delete:
                    _latest!.Clear();
                    break;
            }

            output.Collect(value);
        }
    }
}
