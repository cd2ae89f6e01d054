namespace Freshet.Streaming.Sources;

/// <summary>What a <see cref="SourceReader{T}.Poll"/> call found.</summary>
internal enum SourcePoll
{
    /// <summary>Records were produced; poll again at once.</summary>
    MoreAvailable,

    /// <summary>Nothing now (an unbounded source waiting, a rate limit); poll again shortly.</summary>
    NothingAvailable,

    /// <summary>The reader has produced its last record.</summary>
    EndOfInput,
}
