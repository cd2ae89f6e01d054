namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// One state file of a checkpoint as the manifest records it: the state of operator <see cref="OperatorUid"/>'s
/// subtask <see cref="Subtask"/> (or of a source's position), stored in <see cref="FileName"/> inside the
/// checkpoint directory, <see cref="Length"/> bytes whose CRC-32C is <see cref="Crc"/>.
/// </summary>
internal sealed record CheckpointStateFile(string OperatorUid, int Subtask, string FileName, long Length, uint Crc);
