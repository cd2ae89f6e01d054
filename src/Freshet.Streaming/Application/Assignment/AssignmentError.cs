namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// Why the group leader gave a member no work. Sent in <see cref="TaskAssignment"/> as a big-endian int16, so values
/// are fixed forever: add new ones, never renumber.
/// </summary>
internal enum AssignmentError : short
{
    /// <summary>The member runs the tasks and standbys it was given.</summary>
    None = 0,

    /// <summary>
    /// The member's job graph fingerprint differs from the group leader's (<see cref="TaskAssignment.GroupFingerprint"/>):
    /// it runs a different job under the same application id. It gets no tasks and must refuse to start, naming both
    /// fingerprints, rather than write anything.
    /// </summary>
    TopologyMismatch = 1,

    /// <summary>
    /// The leader could not read the member's subscription (for example, a newer Freshet's format). The member gets no
    /// tasks and must stop with an error rather than guess.
    /// </summary>
    UnreadableSubscription = 2,
}
