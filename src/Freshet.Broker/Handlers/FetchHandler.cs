using System.Diagnostics;
using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Partitions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Fetch 4-12: returns stored record batches byte for byte (copied with
/// <see cref="Partition.ReadInto"/> into buffers rented for the request), with each partition's high
/// watermark, last stable offset and log start offset.
/// <para>
/// Long polling: when fewer than <c>MinBytes</c> are available and no partition has an error, the
/// request waits up to <c>MaxWaitMs</c> on the broker's <see cref="AppendSignal"/> and reads again after
/// each append; it never polls. Shutdown of the broker ends the wait early.
/// </para>
/// <para>
/// Limits: each partition gets at most <c>PartitionMaxBytes</c> and the response at most <c>MaxBytes</c>,
/// whole batches only; but the first batch of the first partition that has data is returned even if
/// larger than both (KIP-74), so a consumer always makes progress. A later partition whose first batch
/// does not fit gets no records this time.
/// </para>
/// <para>
/// Isolation: read_uncommitted reads up to the high watermark. read_committed (isolation level 1) reads
/// whole batches below the partition's last stable offset (<see cref="Partition.ReadCommittedInto"/>)
/// and lists the aborted transactions overlapping the fetched range
/// (<see cref="Partition.GetAbortedTransactions"/>), so the client drops their batches; both answers
/// carry the last stable offset.
/// </para>
/// <para>
/// Fetch sessions (KIP-227, v7+) are not kept: every answer has session id 0, which tells the client no
/// session was created and it keeps sending full fetches; a request naming a non-zero session id gets
/// FETCH_SESSION_ID_NOT_FOUND (70) so the client drops it.
/// </para>
/// Errors per partition: UNKNOWN_TOPIC_OR_PARTITION (3), OFFSET_OUT_OF_RANGE (1) for an offset below the
/// log start or above the high watermark, KAFKA_STORAGE_ERROR (56) for unreadable data, and with authorization on
/// TOPIC_AUTHORIZATION_FAILED (29) for every partition of a topic the principal may not READ.
/// </summary>
internal sealed class FetchHandler : ApiHandler<FetchRequest, FetchResponse>
{
    /// <summary>The most bytes read for one partition in one pass (bounds the buffer rented per partition), unless its first batch alone is larger.</summary>
    internal const int MaxReadBytesPerPartition = 8 * 1024 * 1024;

    private const sbyte ReadCommitted = 1;

    private readonly BrokerServices _services;

    public FetchHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<FetchResponse?> HandleAsync(RequestContext context, FetchRequest request)
    {
        if (request.SessionId != 0)
        {
            _services.Metrics.PartitionError(ApiKeys.Fetch, KafkaErrorCode.FetchSessionIdNotFound);
            return new(new FetchResponse { ErrorCode = KafkaErrorCode.FetchSessionIdNotFound });
        }

        // Take the signal before reading, so an append between the read and the wait is not missed.
        var appended = _services.Appended.Current;
        var response = Read(context, request, out var bytes, out var hasError);
        if (bytes >= request.MinBytes || hasError || request.MaxWaitMs <= 0 || context.BrokerStopping.IsCancellationRequested)
        {
            CountErrors(response, hasError);
            return new(response);
        }

        context.ReturnBuffers();
        return WaitAndReadAsync(context, request, appended);
    }

    private async ValueTask<FetchResponse?> WaitAndReadAsync(RequestContext context, FetchRequest request, Task appended)
    {
        var deadline = Stopwatch.GetTimestamp() + (request.MaxWaitMs * Stopwatch.Frequency / 1000);
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining > TimeSpan.Zero && !context.BrokerStopping.IsCancellationRequested)
            {
                // Timeout and shutdown end the wait without an exception; either way we read once more and answer.
                await appended.WaitAsync(remaining, context.BrokerStopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            var last = !appended.IsCompleted || context.BrokerStopping.IsCancellationRequested || Stopwatch.GetTimestamp() >= deadline;
            appended = _services.Appended.Current;
            var response = Read(context, request, out var bytes, out var hasError);
            if (last || bytes >= request.MinBytes || hasError)
            {
                CountErrors(response, hasError);
                return response;
            }

            context.ReturnBuffers();
        }
    }

    /// <summary>Counts the partitions of the response about to be sent that carry an error (only the answer sent, not the passes of a long poll).</summary>
    private void CountErrors(FetchResponse response, bool hasError)
    {
        if (!hasError)
        {
            return;
        }

        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.ErrorCode != KafkaErrorCode.None)
                {
                    _services.Metrics.PartitionError(ApiKeys.Fetch, partition.ErrorCode);
                }
            }
        }
    }

    /// <summary>One pass over the requested partitions.</summary>
    /// <param name="bytes">Record bytes in the response.</param>
    /// <param name="hasError">Whether some partition has an error (the response is then sent without waiting).</param>
    private FetchResponse Read(RequestContext context, FetchRequest request, out int bytes, out bool hasError)
    {
        var readCommitted = request.IsolationLevel == ReadCommitted;
        var budget = request.MaxBytes > 0 ? request.MaxBytes : int.MaxValue;
        var used = 0;
        hasError = false;
        var topics = new FetchableTopicResponse[request.Topics.Count];
        var partitionCount = 0;
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var readAllowed = _services.Authorizer.AllowsTopic(context, AclOperation.Read, topic.Topic);
            var partitions = new FetchResponsePartition[topic.Partitions.Count];
            partitionCount += partitions.Length;
            for (var p = 0; p < partitions.Length; p++)
            {
                var fetch = topic.Partitions[p];
                var answer = new FetchResponsePartition
                {
                    PartitionIndex = fetch.Partition,
                    HighWatermark = -1,
                    LastStableOffset = -1,
                    LogStartOffset = -1,
                    AbortedTransactions = readCommitted ? [] : null,
                    Records = ReadOnlyMemory<byte>.Empty,
                };
                if (readAllowed)
                {
                    ReadPartition(context, topic.Topic, fetch, answer, readCommitted, budget - used, firstData: used == 0, ref used);
                }
                else
                {
                    answer.ErrorCode = KafkaErrorCode.TopicAuthorizationFailed;
                }

                hasError |= answer.ErrorCode != KafkaErrorCode.None;
                partitions[p] = answer;
            }

            topics[t] = new FetchableTopicResponse { Topic = topic.Topic, Partitions = partitions };
        }

        bytes = used;

        // Records plus an estimate of the other fields; an estimate too small costs one more growth, nothing else.
        context.ResponseBytesHint = used + 256 + (64 * request.Topics.Count) + (128 * partitionCount);
        return new FetchResponse { Responses = topics };
    }

    private void ReadPartition(RequestContext context, string topic, FetchPartition fetch, FetchResponsePartition answer, bool readCommitted, int budget, bool firstData, ref int used)
    {
        if (!_services.Store.TryGetPartition(topic, fetch.Partition, out var partition))
        {
            answer.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
            return;
        }

        answer.ErrorCode = LeaderEpochs.Check(fetch.CurrentLeaderEpoch);
        if (answer.ErrorCode != KafkaErrorCode.None)
        {
            return;
        }

        try
        {
            var logStart = partition.LogStartOffset;
            var highWatermark = partition.HighWatermark;
            var offset = fetch.FetchOffset;
            if (offset < logStart || offset > highWatermark)
            {
                answer.ErrorCode = KafkaErrorCode.OffsetOutOfRange;
                SetPositions(answer, logStart, highWatermark, partition.LastStableOffset);
                return;
            }

            var limit = Math.Min(Math.Min(fetch.PartitionMaxBytes, budget), MaxReadBytesPerPartition);
            if (offset < highWatermark && (limit > 0 || firstData))
            {
                var buffer = context.RentBuffer(Math.Max(limit, 1));
                var written = Read(partition, readCommitted, offset, buffer.AsSpan(0, Math.Max(limit, 0)), out var firstBatchBytes, out var lastStableOffset);
                if (written == 0 && firstBatchBytes > 0 && firstData)
                {
                    // KIP-74: the first batch goes out whole even when it exceeds the limits.
                    buffer = context.RentBuffer(firstBatchBytes);
                    written = Read(partition, readCommitted, offset, buffer.AsSpan(0, firstBatchBytes), out _, out lastStableOffset);
                }

                answer.Records = buffer.AsMemory(0, written);
                used += written;
                if (readCommitted && written > 0)
                {
                    var aborted = partition.GetAbortedTransactions(offset, lastStableOffset);
                    var list = new AbortedTransaction[aborted.Count];
                    for (var i = 0; i < list.Length; i++)
                    {
                        list[i] = new AbortedTransaction { ProducerId = aborted[i].ProducerId, FirstOffset = aborted[i].FirstOffset };
                    }

                    answer.AbortedTransactions = list;
                }
            }

            // Read the positions after the data, so the high watermark covers every batch returned.
            SetPositions(answer, partition.LogStartOffset, partition.HighWatermark, partition.LastStableOffset);
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            answer.ErrorCode = ErrorMapping.ToErrorCode(e);
            answer.Records = ReadOnlyMemory<byte>.Empty;
        }
    }

    private static int Read(Partition partition, bool readCommitted, long offset, Span<byte> destination, out int firstBatchBytes, out long lastStableOffset)
    {
        if (readCommitted)
        {
            return partition.ReadCommittedInto(offset, destination, out firstBatchBytes, out lastStableOffset);
        }

        lastStableOffset = -1;
        return partition.ReadInto(offset, destination, out firstBatchBytes);
    }

    private static void SetPositions(FetchResponsePartition answer, long logStart, long highWatermark, long lastStableOffset)
    {
        answer.LogStartOffset = logStart;
        answer.HighWatermark = highWatermark;
        answer.LastStableOffset = Math.Min(lastStableOffset, highWatermark);
    }
}
