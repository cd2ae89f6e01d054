using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>
/// Emits <c>count</c> records, value i at event time i seconds, in one split, then stays open with nothing more to
/// read until the job is cancelled, so the job is still running (and reported) when the test collects. Its position
/// is the next value, so it runs in checkpointed jobs.
/// </summary>
internal sealed class HeldOpenSource(long count) : Source<long>
{
    public override SourceReader<long> CreateReader(SourceReaderContext context) => new Reader(count);

    private sealed class Reader(long count) : SourceReader<long>
    {
        private long _next;

        public override int SplitCount => 1;

        public override bool SupportsPositions => true;

        public override SourcePoll Poll(SourceOutput<long> output, int maxRecords)
        {
            if (_next == count)
            {
                return SourcePoll.NothingAvailable;
            }

            for (; _next < count && maxRecords-- > 0; _next++)
            {
                output.Collect(_next, _next * 1000, 0);
            }

            return SourcePoll.MoreAvailable;
        }

        public override byte[] SnapshotPosition() => BitConverter.GetBytes(_next);

        public override void RestorePosition(byte[] position) => _next = BitConverter.ToInt64(position);
    }
}
