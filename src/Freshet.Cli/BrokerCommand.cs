using System.Net.Sockets;
using System.Runtime.InteropServices;
using Freshet.Broker;
using Freshet.Log;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet broker --data DIR [--port N] [--socket-request-max-bytes B] [--queued-max-request-bytes B]
/// [--connections-max-idle-ms MS]</c>: serves the log in DIR to Kafka clients on 127.0.0.1:N (default 9092)
/// until Ctrl+C or SIGTERM, then stops gracefully (in-flight requests answered, log flushed and closed).
/// Failures to start (directory in use, port taken, a setting out of range) print one sentence on stderr and
/// exit with code 1.
/// </summary>
internal static class BrokerCommand
{
    /// <summary>The port the broker listens on by default, Kafka's.</summary>
    public const int DefaultPort = 9092;

    public static async Task<int> RunAsync(string dataDirectory, BrokerOptions options, TextWriter output, TextWriter error)
    {
        var port = options.Port;
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void RequestStop(PosixSignalContext context)
        {
            // Keep the process alive: the graceful stop below ends it.
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

        LogStore store;
        try
        {
            store = LogStore.Open(dataDirectory);
        }
        catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"freshet broker: cannot open the data directory: {e.Message}");
            return 1;
        }

        try
        {
            KafkaBroker broker;
            try
            {
                broker = await KafkaBroker.StartAsync(store, options).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"freshet broker: {e.Message}");
                return 1;
            }
            catch (SocketException e)
            {
                error.WriteLine($"freshet broker: cannot listen on 127.0.0.1:{port}: {e.Message}.");
                return 1;
            }
            catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"freshet broker: cannot start: {e.Message}");
                return 1;
            }

            output.WriteLine($"Freshet broker listening on {broker.BootstrapAddress} (data: {store.Directory})");
            await stop.Task.ConfigureAwait(false);
            output.WriteLine("Freshet broker stopping: finishing requests in flight and flushing the log.");
            await broker.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            store.Dispose();
        }

        output.WriteLine("Freshet broker stopped.");
        return 0;
    }
}
