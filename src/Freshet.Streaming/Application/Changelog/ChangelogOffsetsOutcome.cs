namespace Freshet.Streaming.Application.Changelog;

/// <summary>What reading a task's changelog offsets file found (<see cref="ChangelogOffsets.Read"/>).</summary>
internal enum ChangelogOffsetsOutcome
{
    /// <summary>No file: the local state reflects nothing, replay every changelog from its beginning.</summary>
    Missing,

    /// <summary>A valid file: replay each changelog from the offset it names.</summary>
    Read,

    /// <summary>A file that could not be read or failed validation: replay from the beginning (and log the problem).</summary>
    Invalid,
}
