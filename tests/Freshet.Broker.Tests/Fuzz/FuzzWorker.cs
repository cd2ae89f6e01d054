using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// One fuzzing loop: opens a connection, pipelines a run of mutated frames the broker should answer
/// followed by one frame it should refuse, half-closes, and moves on to the next connection while a
/// reader drains the responses in the background and checks that they come back in request order.
/// <para>
/// The worker never waits for the broker between frames (it would be too slow for 100,000 frames), and
/// never waits on one connection: a connection whose request the broker legitimately holds (a long poll or
/// a group join with a mutated timeout) is left to its reader, which gives up after
/// <see cref="DrainTimeout"/>. Not thread-safe: one per task.
/// </para>
/// </summary>
internal sealed class FuzzWorker
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleRelease = TimeSpan.FromMilliseconds(400);
    private const int FramesPerWrite = 16;

    // Connections of this worker whose responses are still being read: a bound, so the worker cannot
    // outrun the broker and leave most frames queued in socket buffers when the test ends.
    private const int MaxDrainingConnections = 3;

    private readonly IPEndPoint _broker;
    private readonly FrameMutator _mutator;
    private readonly Random _random;
    private readonly int _maxFrameBytes;
    private readonly FuzzStats _stats;
    private readonly List<Task> _drains = [];
    private readonly List<Task> _draining = [];

    public FuzzWorker(IPEndPoint broker, FrameMutator mutator, Random random, int maxFrameBytes, FuzzStats stats)
    {
        _broker = broker;
        _mutator = mutator;
        _random = random;
        _maxFrameBytes = maxFrameBytes;
        _stats = stats;
    }

    /// <summary>Sends at least <paramref name="frames"/> frames (unless <paramref name="deadline"/> passes first), then waits for every reader.</summary>
    public async Task RunAsync(long frames, DateTime deadline)
    {
        long sent = 0;
        while (sent < frames && DateTime.UtcNow < deadline)
        {
            _draining.RemoveAll(t => t.IsCompleted);
            if (_draining.Count >= MaxDrainingConnections)
            {
                await Task.WhenAny(_draining).ConfigureAwait(false);
                continue;
            }

            sent += await RunConnectionAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_drains).ConfigureAwait(false);
    }

    private async Task<int> RunConnectionAsync()
    {
        var (answered, terminator) = Plan(_random.Next(0, 100));
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_broker).ConfigureAwait(false);
        _stats.AddConnection();

        var expected = new ConcurrentQueue<int>();
        var progress = new StrongBox<long>(Environment.TickCount64);
        var drain = DrainAsync(socket, expected, progress);
        _drains.Add(drain);
        _draining.Add(ReleasedAsync(drain, progress));

        var sent = 0;
        var terminatorSent = false;
        var closedEarly = false;
        try
        {
            for (var start = 0; start < answered.Count && !closedEarly; start += FramesPerWrite)
            {
                if (drain.IsCompleted)
                {
                    closedEarly = true;
                    break;
                }

                var chunk = answered.GetRange(start, Math.Min(FramesPerWrite, answered.Count - start));
                foreach (var (_, prediction) in chunk)
                {
                    if (prediction.Outcome == FrameOutcome.Answered)
                    {
                        expected.Enqueue(prediction.CorrelationId);
                        _stats.AddExpectedResponse();
                    }
                }

                await socket.SendAsync(Concat(chunk.Select(c => c.Frame)), SocketFlags.None).ConfigureAwait(false);
                sent += chunk.Count;
            }

            if (!closedEarly && !drain.IsCompleted)
            {
                if (terminator.Prediction.Outcome == FrameOutcome.Answered)
                {
                    expected.Enqueue(terminator.Prediction.CorrelationId);
                    _stats.AddExpectedResponse();
                }

                await socket.SendAsync(terminator.Frame, SocketFlags.None).ConfigureAwait(false);
                terminatorSent = true;
                sent++;
            }
            else
            {
                closedEarly = true;
            }

            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The broker closed the connection (and the reader disposed the socket) while frames were still going out.
            closedEarly = !terminatorSent;
        }

        if (closedEarly)
        {
            _stats.AddClosedEarly();
        }

        _stats.AddSent(sent, terminatorSent && terminator.Prediction.Outcome == FrameOutcome.Closes ? 1 : 0);
        return sent;
    }

    /// <summary>
    /// <paramref name="count"/> mutated frames the broker should answer, and one frame that may end the
    /// connection: a mutation the codec refuses, a frame bad at the framing or header level, or a mutated
    /// acks=0 Produce (after which the broker closes the connection if the append failed, as Kafka does,
    /// so such frames never go in the middle of a run).
    /// </summary>
    private (List<(byte[] Frame, FramePrediction Prediction)> Answered, (byte[] Frame, FramePrediction Prediction) Terminator) Plan(int count)
    {
        var answered = new List<(byte[], FramePrediction)>(count);
        (byte[], FramePrediction)? refused = null;
        (byte[], FramePrediction)? silent = null;
        while (answered.Count < count || refused is null)
        {
            var frame = _mutator.Mutate();
            var prediction = Predict(frame);
            if (prediction.CreatesManyPartitions)
            {
                continue;
            }

            switch (prediction.Outcome)
            {
                case FrameOutcome.Closes:
                    refused ??= (frame, prediction);
                    break;
                case FrameOutcome.Silent:
                    silent ??= (frame, prediction);
                    break;
                default:
                    if (answered.Count < count)
                    {
                        answered.Add((frame, prediction));
                    }

                    break;
            }
        }

        var choice = _random.Next(5);
        if (choice < 2)
        {
            var bad = _mutator.BadFrame();
            return (answered, (bad, Predict(bad)));
        }

        return (answered, choice == 4 && silent is not null ? silent.Value : refused.Value);
    }

    private FramePrediction Predict(byte[] frame)
    {
        var prediction = FramePredictor.Predict(frame, _maxFrameBytes);
        if (prediction.CodecBug is { } bug)
        {
            _stats.CodecBugs.Enqueue($"{Convert.ToHexString(frame)}: {bug}");
        }

        return prediction;
    }

    /// <summary>
    /// Completes when the connection no longer needs the worker's attention: its reader finished, or no
    /// response arrived for <see cref="IdleRelease"/> (the broker is holding a request; the reader keeps
    /// waiting on its own, up to <see cref="DrainTimeout"/>).
    /// </summary>
    private static async Task ReleasedAsync(Task drain, StrongBox<long> progress)
    {
        while (!drain.IsCompleted && Environment.TickCount64 - Volatile.Read(ref progress.Value) < IdleRelease.TotalMilliseconds)
        {
            await Task.WhenAny(drain, Task.Delay(IdleRelease / 4)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads response frames until the broker closes the connection (or nothing arrives for
    /// <see cref="DrainTimeout"/>), checking each correlation id against <paramref name="expected"/>.
    /// </summary>
    private async Task DrainAsync(Socket socket, ConcurrentQueue<int> expected, StrongBox<long> progress)
    {
        using var timeout = new CancellationTokenSource(DrainTimeout);
        var stream = new NetworkStream(socket, ownsSocket: true);
        await using (stream.ConfigureAwait(false))
        {
            var size = new byte[4];
            try
            {
                while (true)
                {
                    if (!await ReadExactlyAsync(stream, size, timeout.Token).ConfigureAwait(false))
                    {
                        _stats.AddUnanswered("closed", expected.Count);
                        return;
                    }

                    var length = BinaryPrimitives.ReadInt32BigEndian(size);
                    if (length < 4 || length > 64 << 20)
                    {
                        _stats.ResponseMismatches.Enqueue($"response frame of {length} bytes");
                        return;
                    }

                    var payload = new byte[length];
                    if (!await ReadExactlyAsync(stream, payload, timeout.Token).ConfigureAwait(false))
                    {
                        _stats.ResponseMismatches.Enqueue("connection closed inside a response frame");
                        return;
                    }

                    _stats.AddResponse();
                    Volatile.Write(ref progress.Value, Environment.TickCount64);
                    timeout.CancelAfter(DrainTimeout);
                    var correlationId = BinaryPrimitives.ReadInt32BigEndian(payload);
                    if (!expected.TryDequeue(out var next))
                    {
                        _stats.ResponseMismatches.Enqueue($"unexpected response with correlation id {correlationId}");
                    }
                    else if (next != correlationId)
                    {
                        _stats.ResponseMismatches.Enqueue($"response with correlation id {correlationId}, expected {next}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                _stats.AddAbandoned();
                _stats.AddUnanswered("abandoned", expected.Count);
            }
            catch (IOException)
            {
                // Reset by the broker after a refused frame: the connection is over.
                _stats.AddUnanswered("reset", expected.Count);
            }
        }
    }

    private static async Task<bool> ReadExactlyAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    private static byte[] Concat(IEnumerable<byte[]> frames)
    {
        var list = frames.ToList();
        var result = new byte[list.Sum(f => f.Length)];
        var at = 0;
        foreach (var frame in list)
        {
            frame.CopyTo(result, at);
            at += frame.Length;
        }

        return result;
    }
}
