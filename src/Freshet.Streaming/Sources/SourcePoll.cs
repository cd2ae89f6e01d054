namespace Freshet.Streaming.Sources;

/// <summary>What a <see cref="SourceReader{T}.Poll"/> call found (Flink's <c>InputStatus</c>).</summary>
public enum SourcePoll
{
    /// <summary>Records were produced, or more are ready; the runtime polls again at once.</summary>
    MoreAvailable,

    /// <summary>Nothing now (an unbounded source waiting for data, a rate limit); the runtime polls again after about 1 ms.</summary>
    NothingAvailable,

    /// <summary>The reader has produced its last record (a bounded source); it is not polled again.</summary>
    EndOfInput,
}
