namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// The predicted <see cref="FrameOutcome"/> of a frame, the correlation id its response carries, and the
/// exception the codec threw if it failed other than with a <c>KafkaProtocolException</c> (a codec bug:
/// the broker would close the connection through its last-resort handler instead of a clean refusal).
/// <see cref="CreatesManyPartitions"/> marks a CreateTopics or CreatePartitions request that asks for more
/// than <see cref="FramePredictor.PartitionLimit"/> partitions in one topic (see <see cref="FramePredictor"/>).
/// </summary>
internal readonly record struct FramePrediction(FrameOutcome Outcome, int CorrelationId, Exception? CodecBug, bool CreatesManyPartitions = false);
