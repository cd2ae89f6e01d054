using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Freshet.Dashboard.Hosting;

/// <summary>
/// Builds and starts the Kestrel application both dashboards share: the error handling of <c>/api</c>
/// (<see cref="ApiErrors"/>), the embedded page (<see cref="EmbeddedPage"/>), the Prometheus endpoint and the view's
/// own endpoints. The application reads no configuration files or environment variables: everything comes from
/// <see cref="DashboardOptions"/>, so a dashboard inside someone's application does not pick up their settings.
/// </summary>
internal static class DashboardApplication
{
    /// <summary>Starts a server for <paramref name="view"/> ("job" or "broker") with <paramref name="mapApi"/>'s endpoints.</summary>
    /// <param name="meterNames">The meters <c>/metrics</c> exports when <see cref="DashboardOptions.ServeMetrics"/> is on.</param>
    /// <param name="resources">Disposed when the server stops (samplers); disposed here if the start fails.</param>
    public static async Task<DashboardServer> StartAsync(
        DashboardOptions options,
        string view,
        IReadOnlyList<string> meterNames,
        Action<IEndpointRouteBuilder> mapApi,
        IReadOnlyList<IDisposable> resources,
        CancellationToken cancellationToken)
    {
        options.Validate();
        var address = ParseHost(options.Host);
        var owned = new List<IDisposable>(resources);
        MeterProvider? meters = null;
        WebApplication? application = null;
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Services.AddSingleton(options.LoggerFactory ?? NullLoggerFactory.Instance);
            builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            builder.Services.AddRoutingCore();
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(address, options.Port);
            });
            application = builder.Build();
            application.Use(ApiErrors.Middleware);
            if (options.ServeMetrics)
            {
                var meterBuilder = Sdk.CreateMeterProviderBuilder();
                foreach (var name in meterNames)
                {
                    meterBuilder.AddMeter(name);
                }

                meters = meterBuilder.AddPrometheusExporter().Build();
                owned.Add(meters);
                application.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
            }

            application.UseRouting();
            mapApi(application);
            EmbeddedPage.Map(application, view);
            await application.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(bound).Port;
            return new DashboardServer(application, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{UriHost(address)}:{port}/")), owned);
        }
        catch
        {
            if (application is not null)
            {
                await application.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var resource in owned)
            {
                resource.Dispose();
            }

            throw;
        }
    }

    /// <summary>The host part of the address to reach a server bound to <paramref name="address"/>: the loopback address for the wildcard addresses.</summary>
    private static string UriHost(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "127.0.0.1";
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            throw new ArgumentException($"DashboardOptions.Host must be an IP address or localhost (got '{host}').", nameof(host));
        }

        return address;
    }
}
