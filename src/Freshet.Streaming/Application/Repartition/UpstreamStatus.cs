namespace Freshet.Streaming.Application.Repartition;

/// <summary>What a downstream task knows about one upstream task's event time, from the markers read so far.</summary>
internal enum UpstreamStatus : byte
{
    /// <summary>No marker read yet: the upstream task holds the watermark back.</summary>
    Unknown = 0,

    /// <summary>Its last marker was active: its watermark counts in the minimum.</summary>
    Active = 1,

    /// <summary>Its last marker was idle: it is left out of the minimum.</summary>
    Idle = 2,
}
