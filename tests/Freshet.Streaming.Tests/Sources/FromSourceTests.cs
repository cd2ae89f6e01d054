using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Sources;

/// <summary><see cref="StreamEnvironment.FromSource{T}"/> with small sources: what readers learn and how their mistakes are reported.</summary>
public sealed class FromSourceTests
{
    [Fact]
    public async Task FromSource_EachSubtaskGetsItsContext_RecordsOfEveryReaderArrive()
    {
        var sink = new CollectingSink<string>();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 3 });
        env.FromSource(new CountingSource(count: 4)).SinkTo(sink);
        await JobRunner.RunAsync(env);

        var expected = Enumerable.Range(0, 3).SelectMany(s => Enumerable.Range(0, 4).Select(i => $"{s}/3:{i}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), sink.Results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FromSource_ReaderWithoutPositionsInACheckpointedJob_RejectedAtStart()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(Path.GetTempPath(), "freshet-nopos-" + Guid.NewGuid().ToString("N")) },
        });
        env.FromSource(new CountingSource(count: 4), name: "counting").SinkTo(new CollectingSink<string>());
        var error = Assert.Throws<InvalidOperationException>(() => env.ExecuteAsync().GetAwaiter().GetResult());
        Assert.Contains("counting", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no positions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromSource_ReaderCollectsOnASplitItDoesNotHave_JobFailsNamingTheSource()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromSource(new CountingSource(count: 4, wrongSplit: true), name: "miscounting").SinkTo(new CollectingSink<string>());
        var job = await env.ExecuteAsync();

        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Equal("miscounting", error.OperatorName);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.Contains("has 1 splits (SplitCount)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Each reader emits <c>"{subtask}/{parallelism}:{i}"</c> for i below the count, in one split, then ends.</summary>
    private sealed class CountingSource(int count, bool wrongSplit = false) : Source<string>
    {
        public override SourceReader<string> CreateReader(SourceReaderContext context) => new Reader(context, count, wrongSplit);

        private sealed class Reader(SourceReaderContext context, int count, bool wrongSplit) : SourceReader<string>
        {
            private int _next;

            public override int SplitCount => 1;

            public override SourcePoll Poll(SourceOutput<string> output, int maxRecords)
            {
                for (; _next < count && maxRecords-- > 0; _next++)
                {
                    output.Collect($"{context.SubtaskIndex}/{context.Parallelism}:{_next}", wrongSplit ? 1 : 0);
                }

                return _next < count ? SourcePoll.MoreAvailable : SourcePoll.EndOfInput;
            }
        }
    }
}
