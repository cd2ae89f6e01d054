using System.Collections.Concurrent;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>Counters shared by the fuzz workers. Thread-safe (interlocked counters, concurrent queues).</summary>
internal sealed class FuzzStats
{
    private long _framesSent;
    private long _badFramesSent;
    private long _connections;
    private long _closedEarly;
    private long _responses;
    private long _expectedResponses;
    private long _abandoned;

    /// <summary>Mutated or bad frames written to a connection the broker had not closed yet.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Of <see cref="FramesSent"/>, those predicted to make the broker close the connection.</summary>
    public long BadFramesSent => Interlocked.Read(ref _badFramesSent);

    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Connections the broker closed before the frame predicted to close it (after a failed acks=0 produce, or a bug).</summary>
    public long ClosedEarly => Interlocked.Read(ref _closedEarly);

    public long Responses => Interlocked.Read(ref _responses);

    /// <summary>Responses the sent frames call for (some are lost when a connection closes early or is abandoned).</summary>
    public long ExpectedResponses => Interlocked.Read(ref _expectedResponses);

    /// <summary>Connections still waiting on the broker when the worker gave up on them (long polls, group joins with mutated timeouts).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Responses that were not the next one expected (wrong correlation id, unexpected, malformed size).</summary>
    public ConcurrentQueue<string> ResponseMismatches { get; } = new();

    /// <summary>Frames on which the codec failed with something other than a KafkaProtocolException (hex of the frame and the exception).</summary>
    public ConcurrentQueue<string> CodecBugs { get; } = new();

    public void AddSent(int frames, int bad)
    {
        Interlocked.Add(ref _framesSent, frames);
        Interlocked.Add(ref _badFramesSent, bad);
    }

    public void AddConnection() => Interlocked.Increment(ref _connections);

    public void AddClosedEarly() => Interlocked.Increment(ref _closedEarly);

    public void AddResponse() => Interlocked.Increment(ref _responses);

    public void AddExpectedResponse() => Interlocked.Increment(ref _expectedResponses);

    /// <summary>Responses still expected when a connection ended, by how it ended (closed, reset, abandoned).</summary>
    public ConcurrentDictionary<string, long> Unanswered { get; } = new();

    public void AddUnanswered(string ending, int count) => Unanswered.AddOrUpdate(ending, count, (_, total) => total + count);

    public void AddAbandoned() => Interlocked.Increment(ref _abandoned);

    public override string ToString() =>
        $"{FramesSent} frames ({BadFramesSent} refused at framing/decoding) over {Connections} connections; {Responses} of {ExpectedResponses} expected responses; " +
        $"{ClosedEarly} closed early; {Abandoned} abandoned while the broker waited; {ResponseMismatches.Count} response mismatches; {CodecBugs.Count} codec bugs; unanswered by ending: {string.Join(", ", Unanswered.Select(u => $"{u.Key} {u.Value}"))}";
}
