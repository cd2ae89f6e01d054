namespace Freshet.Streaming.Planning;

/// <summary>
/// What a job-graph node copied into an application task needs to know of the task: the partition it reads of each
/// input topic, and the group (the application id) whose committed offsets say where it resumes. Immutable.
/// </summary>
internal sealed record TaskPlacement(int Partition, string GroupId);
