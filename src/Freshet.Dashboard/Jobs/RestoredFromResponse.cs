namespace Freshet.Dashboard.Jobs;

/// <summary>The state a job attempt started from (<c>JobHandle.RestoredFrom</c>).</summary>
internal sealed record RestoredFromResponse(long CheckpointId, string Directory, bool IsSavepoint);
