namespace Freshet.Streaming.Application.Repartition;

/// <summary>
/// What one upstream task tells a repartition partition about its event time: its watermark and whether it is idle.
/// Written by <see cref="RepartitionWriter{T}"/> to every partition of the topic, read by
/// <see cref="RepartitionSourceReader{T}"/>; encoded by <see cref="RepartitionRecordFormat"/>. Immutable.
/// </summary>
/// <param name="UpstreamTask">The writing task's partition: its index among the upstream sub-topology's tasks, 0-based.</param>
/// <param name="Watermark">The upstream task's watermark (event time, ms); <see cref="long.MinValue"/> before its first, <see cref="long.MaxValue"/> once its input has ended.</param>
/// <param name="Idle">Whether the upstream task is idle: it no longer holds back the watermark of downstream tasks until it sends an active marker.</param>
internal readonly record struct WatermarkMarker(int UpstreamTask, long Watermark, bool Idle);
