using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Freshet.Broker;
using Freshet.Broker.Configuration;
using Freshet.Broker.Security;
using Freshet.Dashboard;
using Freshet.Log;
using Freshet.Log.Topics;
using OpenTelemetry.Metrics;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet broker [--config FILE] [--data DIR] [--port N | --listeners L] [--advertised-listeners L] [--num-partitions N] [--auto-create-topics B]
/// [--socket-request-max-bytes B] [--queued-max-request-bytes B] [--connections-max-idle-ms MS] [--override K=V]...
/// [--log-level L] [--metrics-port N] [--http-port N]</c>:
/// serves the log in DIR to Kafka clients on 127.0.0.1:N (default 9092) until Ctrl+C or SIGTERM, then
/// stops gracefully (in-flight requests answered, log flushed and closed). Settings come from the
/// Kafka-style properties file first (<see cref="BrokerConfiguration"/>), then from the flags. The broker's and the
/// log's events go to standard output (<see cref="ConsoleLogging"/>); with <c>--metrics-port</c> its metrics are served for
/// Prometheus on 127.0.0.1 (<see cref="PrometheusEndpoint"/>); with <c>--http-port</c> its dashboard and REST API are served
/// on 127.0.0.1 (<see cref="BrokerDashboard"/>, with <c>/metrics</c> too). Failures to
/// start (an unknown, invalid or out-of-range setting, directory in use, port taken) print one sentence on stderr and
/// exit with code 1.
/// </summary>
internal static class BrokerCommand
{
    /// <summary>The port the broker listens on by default, Kafka's.</summary>
    public const int DefaultPort = 9092;

    public static async Task<int> RunAsync(BrokerCommandSettings settings, TextWriter output, TextWriter error)
    {
        BrokerOptions options;
        try
        {
            options = Resolve(settings);
        }
        catch (BrokerConfigurationException e)
        {
            error.WriteLine($"freshet broker: {e.Message}");
            return 1;
        }

        if (options.DataDirectory is not { } dataDirectory)
        {
            error.WriteLine($"freshet broker: no data directory: give --data DIR, or log.dirs in {settings.ConfigFile}.");
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void RequestStop(PosixSignalContext context)
        {
            // Keep the process alive: the graceful stop below ends it.
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

        using var loggerFactory = ConsoleLogging.Create(settings.LogLevel);
        MeterProvider? metrics = null;
        if (settings.MetricsPort is { } metricsPort)
        {
            try
            {
                metrics = PrometheusEndpoint.Start(metricsPort);
            }
            catch (Exception e) when (e is HttpListenerException or InvalidOperationException)
            {
                error.WriteLine($"freshet broker: cannot serve metrics on {PrometheusEndpoint.Address(metricsPort)}: {e.Message}");
                return 1;
            }
        }

        using var metricsProvider = metrics;
        options = options with { LoggerFactory = loggerFactory };
        LogStore store;
        try
        {
            store = LogStore.Open(dataDirectory, new LogStoreOptions { DefaultTopicConfig = options.DefaultTopicConfig ?? TopicConfig.Default, LoggerFactory = loggerFactory });
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
                // A setting out of range, or two that do not fit together (BrokerOptions.Validate names it).
                error.WriteLine($"freshet broker: {e.Message}");
                return 1;
            }
            catch (SocketException e)
            {
                error.WriteLine($"freshet broker: cannot listen on {string.Join(", ", (options.Listeners ?? [new("PLAINTEXT", SecurityProtocol.Plaintext, options.Host, options.Port)]).Select(static l => $"{l.Name}://{l.Host}:{l.Port}"))}: {e.Message}.");
                return 1;
            }
            catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"freshet broker: cannot start: {e.Message}");
                return 1;
            }

            DashboardServer? dashboard = null;
            if (settings.HttpPort is { } httpPort)
            {
                try
                {
                    dashboard = await BrokerDashboard.StartAsync(broker, new DashboardOptions { Port = httpPort, LoggerFactory = loggerFactory }).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    error.WriteLine($"freshet broker: cannot serve the dashboard on http://127.0.0.1:{httpPort}/: {e.Message}");
                    await broker.StopAsync().ConfigureAwait(false);
                    return 1;
                }
            }

            output.WriteLine($"Freshet broker listening on {string.Join(", ", broker.Listeners.Select(l => $"{broker.BootstrapAddressOf(l.Name)} ({l.Name})"))} (data: {store.Directory})");
            if (settings.MetricsPort is { } served)
            {
                output.WriteLine($"Metrics for Prometheus on {PrometheusEndpoint.Address(served)}metrics");
            }

            if (dashboard is not null)
            {
                output.WriteLine($"Dashboard and REST API on {dashboard.Address}");
            }

            await stop.Task.ConfigureAwait(false);
            output.WriteLine("Freshet broker stopping: finishing requests in flight and flushing the log.");
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync().ConfigureAwait(false);
            }

            await broker.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            store.Dispose();
        }

        output.WriteLine("Freshet broker stopped.");
        return 0;
    }

    /// <summary>The broker's options: built-in defaults (port 9092), then the file, then the flags.</summary>
    /// <exception cref="BrokerConfigurationException">An unknown or invalid setting, naming it.</exception>
    internal static BrokerOptions Resolve(BrokerCommandSettings settings)
    {
        var options = new BrokerOptions { Port = DefaultPort };
        if (settings.ConfigFile is { } file)
        {
            options = BrokerConfiguration.LoadFile(file, options);
        }

        options = BrokerConfiguration.Apply(options, settings.Overrides);
        if (settings.DataDirectory is { } data)
        {
            options = options with { DataDirectory = data };
        }

        if (settings.Port is not { } port)
        {
            return options;
        }

        // --port moves the default listener: the only one, or the first of the file's listeners.
        return options.Listeners is { Count: > 0 } listeners
            ? options with { Listeners = [listeners[0] with { Port = port }, .. listeners.Skip(1)] }
            : options with { Port = port };
    }
}
