namespace Freshet.Streaming.State;

/// <summary>Which accesses restart the time-to-live of a state entry (Flink's <c>StateTtlConfig.UpdateType</c>).</summary>
public enum StateTtlUpdateType
{
    /// <summary>Only creating or writing an entry restarts its time-to-live; reads do not.</summary>
    OnCreateAndWrite,

    /// <summary>Reads restart the time-to-live too.</summary>
    OnReadAndWrite,
}
