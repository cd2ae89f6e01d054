using Microsoft.AspNetCore.Builder;

namespace Freshet.Dashboard;

/// <summary>
/// A running dashboard: a Kestrel server in this process that serves the page, the REST API under <c>/api</c> and,
/// when enabled, <c>/metrics</c> (docs/rest-api.md). Disposing it stops the server and its background sampling; the
/// job or broker it shows is not affected. Thread-safe; stopping twice is harmless.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _application;
    private readonly IReadOnlyList<IDisposable> _resources;
    private readonly SemaphoreSlim _stopLock = new(1, 1);
    private bool _stopped;

    internal DashboardServer(WebApplication application, Uri address, IReadOnlyList<IDisposable> resources)
    {
        _application = application;
        _resources = resources;
        Address = address;
    }

    /// <summary>The base address the server answers on, such as <c>http://127.0.0.1:8081/</c> (the port chosen when 0 was asked).</summary>
    public Uri Address { get; }

    /// <summary>Stops accepting requests, lets requests in flight finish, and releases the server's port.</summary>
    public async Task StopAsync()
    {
        await _stopLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            await _application.StopAsync().ConfigureAwait(false);
            await _application.DisposeAsync().ConfigureAwait(false);
            foreach (var resource in _resources)
            {
                resource.Dispose();
            }
        }
        finally
        {
            _stopLock.Release();
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
