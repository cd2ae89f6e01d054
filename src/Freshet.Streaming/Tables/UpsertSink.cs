using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Tables;

/// <summary>
/// An upsert sink (Flink's upsert-kafka sink): turns a changelog into keyed upserts and tombstones with an
/// <see cref="UpsertChangeEncoder{T}"/> and writes them through the writer of an existing sink of
/// <see cref="UpsertMessage"/>s (log topic or Kafka), keeping that writer's guarantee: at-least-once writers get the
/// held deletes before each flush, exactly-once (two-phase-commit) writers before each pre-commit, so a checkpoint's
/// transaction holds them. Immutable: <see cref="CreateWriter"/> may run on several subtasks' threads at once; each
/// writer is used by its subtask's task thread only.
/// </summary>
internal sealed class UpsertSink<T> : Sink<Change<T>>
{
    private readonly Sink<UpsertMessage> _messages;
    private readonly Func<T, byte[]?> _keySerializer;
    private readonly Func<T, byte[]?> _valueSerializer;

    public UpsertSink(Sink<UpsertMessage> messages, Func<T, byte[]?> keySerializer, Func<T, byte[]?> valueSerializer)
    {
        _messages = messages;
        _keySerializer = keySerializer;
        _valueSerializer = valueSerializer;
    }

    public override SinkWriter<Change<T>> CreateWriter(SinkContext context)
    {
        var inner = _messages.CreateWriter(context);
        var encoder = new UpsertChangeEncoder<T>(_keySerializer, _valueSerializer);
        return inner is TwoPhaseCommitSinkWriter<UpsertMessage> twoPhase
            ? new TwoPhaseUpsertSinkWriter<T>(twoPhase, encoder)
            : new UpsertSinkWriter<T>(inner, encoder);
    }
}
