namespace Freshet.Streaming.Sources;

/// <summary>
/// Where a stream starts (Flink's <c>Source</c> of FLIP-27, kept small): a factory of one
/// <see cref="SourceReader{T}"/> per source subtask. Attach with <see cref="StreamEnvironment.FromSource{T}"/>.
/// <para>
/// The data is divided into <em>splits</em> — files, partitions, shards: units that are read in order by one reader
/// and whose progress is one position. There is no split coordinator: each reader enumerates the splits itself and
/// keeps those <see cref="SplitAssignment"/> gives its subtask. A bounded source's readers end with
/// <see cref="SourcePoll.EndOfInput"/>; an unbounded one's poll for ever and may discover new splits as they appear
/// (by listing again from <see cref="SourceReader{T}.Poll"/>).
/// </para>
/// <para>
/// A source is a description, not a connection: <see cref="CreateReader"/> is called again for every subtask at each
/// start and restart of the job, so a source should keep no mutable
/// state of its own; the readers hold it.
/// </para>
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class Source<T>
{
    /// <summary>
    /// Creates the reader of one subtask (<see cref="SourceReaderContext.SubtaskIndex"/> of
    /// <see cref="SourceReaderContext.Parallelism"/>). Called on the thread that plans the job, before any record
    /// flows; do slow work (connecting, listing) in <see cref="SourceReader{T}.Open"/>, which runs on the reader's
    /// own task thread. After a restore, the runtime calls <see cref="SourceReader{T}.RestorePosition"/> on the new
    /// reader before it opens it.
    /// </summary>
    public abstract SourceReader<T> CreateReader(SourceReaderContext context);
}
