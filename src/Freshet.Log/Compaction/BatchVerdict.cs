namespace Freshet.Log.Compaction;

/// <summary>What compaction does with one stored batch.</summary>
internal enum BatchVerdict
{
    /// <summary>Nothing in it is dropped: copy its bytes unchanged.</summary>
    KeepAsIs,

    /// <summary>Some records go: write a rebuilt batch (same offset range and header fields) instead.</summary>
    Replace,

    /// <summary>Every record goes and nothing needs the batch header: write nothing.</summary>
    Drop,
}
