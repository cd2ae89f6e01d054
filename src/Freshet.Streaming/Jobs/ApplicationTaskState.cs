namespace Freshet.Streaming.Jobs;

/// <summary>Where an application task is in its life on this instance.</summary>
public enum ApplicationTaskState
{
    /// <summary>Fencing the task's previous owner and reading its changelogs.</summary>
    Restoring,

    /// <summary>Processing records.</summary>
    Running,

    /// <summary>Failed; restarting from its changelogs after a pause.</summary>
    Restarting,

    /// <summary>Read its bounded inputs to the end and committed everything.</summary>
    Finished,

    /// <summary>Given up (revoked, or the instance stopped).</summary>
    Stopped,

    /// <summary>Failed more often than the restart strategy allows; the instance fails.</summary>
    Failed,
}
