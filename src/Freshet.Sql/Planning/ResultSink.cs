using System.Threading.Channels;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// The sink of a query run by <c>ExecuteSqlAsync</c>: hands each change to the reader of the result through a
/// bounded channel, so a slow reader slows the job (backpressure) instead of filling memory. Once the reader is gone
/// (<see cref="Abandon"/>), changes are dropped so that the job can be cancelled without blocking. Thread-safe: its
/// writers run on task threads, the reader on any thread.
/// </summary>
internal sealed class ResultSink : Sink<Change<Row>>, IDisposable
{
    /// <summary>Changes buffered between the job and the reader.</summary>
    public const int Capacity = 4096;

    private readonly Channel<Change<Row>> _channel = Channel.CreateBounded<Change<Row>>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly CancellationTokenSource _abandoned = new();

    /// <summary>Where the reader reads.</summary>
    public ChannelReader<Change<Row>> Reader => _channel.Reader;

    /// <summary>Ends the rows: normally, or with the job's failure.</summary>
    public void Complete(Exception? failure) => _channel.Writer.TryComplete(failure);

    /// <summary>Drops every change from now on and wakes writers waiting for room.</summary>
    public void Abandon()
    {
        _abandoned.Cancel();
        _channel.Writer.TryComplete();
    }

    /// <inheritdoc/>
    public void Dispose() => _abandoned.Dispose();

    /// <inheritdoc/>
    public override SinkWriter<Change<Row>> CreateWriter(SinkContext context) => new Writer(this);

    private sealed class Writer(ResultSink sink) : SinkWriter<Change<Row>>
    {
        public override void Write(ReadOnlySpan<Change<Row>> values, ReadOnlySpan<long> timestamps)
        {
            foreach (var value in values)
            {
                while (!sink._channel.Writer.TryWrite(value))
                {
                    if (sink._abandoned.IsCancellationRequested)
                    {
                        return;
                    }

                    // Blocks this task thread until the reader makes room: the job's backpressure.
                    try
                    {
                        if (!sink._channel.Writer.WaitToWriteAsync(sink._abandoned.Token).AsTask().GetAwaiter().GetResult())
                        {
                            return;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
    }
}
