namespace Freshet.Streaming.Application.Repartition;

/// <summary>The two kinds of record in a repartition topic (<see cref="RepartitionRecordFormat"/>).</summary>
internal enum RepartitionRecordKind
{
    /// <summary>A stream record: its value is the serialized record, and it has an event time.</summary>
    Data,

    /// <summary>A watermark marker: no value, a <see cref="WatermarkMarker"/> in its header.</summary>
    WatermarkMarker,
}
