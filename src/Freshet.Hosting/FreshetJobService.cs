using Freshet.Dashboard;
using Freshet.Hosting.Logging;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Freshet.Hosting;

/// <summary>
/// One Freshet job run by the generic host (registered by <see cref="FreshetServiceCollectionExtensions.AddFreshetJob"/>;
/// resolve it with <c>GetRequiredKeyedService&lt;FreshetJobService&gt;(name)</c> to reach its <see cref="JobHandle"/>).
/// When the host starts, it creates a <see cref="StreamEnvironment"/> from the job's <see cref="FreshetJobOptions"/> and
/// the host's <see cref="ILoggerFactory"/>, lets the application build the job on it and executes it. When the host
/// stops, it cancels the job or, with <see cref="FreshetJobOptions.SavepointOnStop"/>, stops it with a savepoint. A job
/// that fails ends <see cref="BackgroundService.ExecuteTask"/> with the job's exception, and the host applies its
/// <c>BackgroundServiceExceptionBehavior</c>. Thread-safe.
/// </summary>
public sealed class FreshetJobService : BackgroundService
{
    private readonly Action<StreamEnvironment, IServiceProvider> _buildJob;
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<FreshetJobOptions> _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<JobHandle> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _lastSavepoint;
    private volatile DashboardServer? _dashboard;

    internal FreshetJobService(string name, Action<StreamEnvironment, IServiceProvider> buildJob, IServiceProvider services, IOptionsMonitor<FreshetJobOptions> options, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        Name = name;
        _buildJob = buildJob;
        _services = services;
        _options = options;
        _loggerFactory = loggerFactory;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger(HostingLog.Category);
    }

    /// <summary>The job's name: its options' name, its configuration section and the name it executes under.</summary>
    public string Name { get; }

    /// <summary>
    /// Completes with the running job once it has started (in application mode: once this instance joined its group);
    /// faults when building or starting the job failed, and is cancelled when the host stopped before it started.
    /// </summary>
    public Task<JobHandle> JobStarted => _started.Task;

    /// <summary>
    /// Where the job's dashboard and REST API answer (<see cref="FreshetJobOptions.Dashboard"/>), or null when none is
    /// configured or the job has not started. Set before <see cref="JobStarted"/> completes.
    /// </summary>
    public Uri? DashboardAddress => _dashboard?.Address;

    /// <summary>The savepoint the job was stopped with when the host stopped, or null (not stopped that way, or not yet).</summary>
    public string? LastSavepoint => _lastSavepoint;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        JobHandle job;
        FreshetJobOptions options;
        try
        {
            // Building the job is the application's code and may be slow; it must not hold up the host's start.
            await Task.Yield();
            options = _options.Get(Name);
            var environment = StreamEnvironment.Create(options.ToStreamEnvironmentOptions(Name, _loggerFactory));
            _buildJob(environment, _services);
            // The engine cancels the job whenever the token given to ExecuteAsync is cancelled, but a stopping host
            // must reach the job first (to take its savepoint): the host's token only aborts the start itself.
            using var startAborted = new CancellationTokenSource();
            using (stoppingToken.Register(startAborted.Cancel))
            {
                job = await environment.ExecuteAsync(Name, startAborted.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _started.TrySetCanceled(stoppingToken);
            return;
        }
        catch (Exception error)
        {
            _started.TrySetException(error);
            throw;
        }

        _logger.HostedJobStarted(Name, job.RestoredFrom is { } restored ? $"{(restored.IsSavepoint ? "savepoint" : "checkpoint")} {restored.CheckpointId} ({restored.Directory})" : "nothing");
        if (options.Dashboard.Port is { } port)
        {
            try
            {
                _dashboard = await JobDashboard.StartAsync(job, new DashboardOptions { Host = options.Dashboard.Host, Port = port, ServeMetrics = options.Dashboard.ServeMetrics, LoggerFactory = _loggerFactory }, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                // A dashboard that was asked for and cannot be served (the port is taken) fails the service like a
                // job that cannot start: the configuration is wrong.
                await job.CancelAsync().ConfigureAwait(false);
                _started.TrySetException(error);
                throw;
            }

            _logger.HostedJobDashboardStarted(Name, _dashboard.Address);
        }

        _started.TrySetResult(job);
        try
        {
            await job.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Completed already when the host stopped in the instant between the start and the wait (the start's
            // token then cancelled the job).
            if (!job.Completion.IsCompleted)
            {
                await StopJobAsync(job, options).ConfigureAwait(false);
            }

            return;
        }

        // A failed job's JobExecutionException has propagated above; here it finished (or was cancelled by itself).
        _logger.HostedJobFinished(Name, options.StopHostWhenFinished);
        if (options.StopHostWhenFinished)
        {
            _lifetime.StopApplication();
        }
    }

    /// <summary>Stops the job as <see cref="BackgroundService.StopAsync"/> does, then its dashboard.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_dashboard is { } dashboard)
            {
                await dashboard.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task StopJobAsync(JobHandle job, FreshetJobOptions options)
    {
        if (!options.SavepointOnStop)
        {
            _logger.HostedJobStopping(Name, "cancel");
            await job.CancelAsync().ConfigureAwait(false);
            return;
        }

        _logger.HostedJobStopping(Name, "savepoint");
        var path = SavepointDirectories.NewPath(options.EffectiveSavepointDirectory!, TimeProvider.System.GetUtcNow());
        try
        {
            _lastSavepoint = await job.StopWithSavepointAsync(path).ConfigureAwait(false);
            _logger.HostedJobSavepointTaken(Name, _lastSavepoint);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _logger.HostedJobSavepointFailed(Name, path, error);
            await job.CancelAsync().ConfigureAwait(false);
        }
    }
}
