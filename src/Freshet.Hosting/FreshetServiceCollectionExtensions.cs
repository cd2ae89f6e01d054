using Freshet.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Freshet.Hosting;

/// <summary>Registers Freshet jobs with the generic host (<c>Host.CreateApplicationBuilder().Services</c>).</summary>
public static class FreshetServiceCollectionExtensions
{
    /// <summary>The configuration section a job's options bind from is this prefix followed by the job's name.</summary>
    public const string ConfigurationSectionPrefix = "Freshet:Jobs:";

    /// <summary>
    /// Runs a job as a hosted service (<see cref="FreshetJobService"/>): when the host starts, a
    /// <see cref="StreamEnvironment"/> is created from the job's <see cref="FreshetJobOptions"/> with the host's
    /// <see cref="ILoggerFactory"/>, <paramref name="buildJob"/> builds the job on it (sources, operators, sinks;
    /// services from the container are at hand) and the job executes under <paramref name="name"/>.
    /// <para>
    /// Options: <paramref name="configure"/> sets defaults in code; the configuration section
    /// <c>Freshet:Jobs:{name}</c> (appsettings.json, environment variables, the command line) is applied after it and
    /// overrides them. When the host stops, the job is cancelled, or stopped with a savepoint when
    /// <see cref="FreshetJobOptions.SavepointOnStop"/> is set. A job that fails fails the service, and the host applies
    /// <c>HostOptions.BackgroundServiceExceptionBehavior</c> (by default it stops and logs the job's exception).
    /// </para>
    /// </summary>
    /// <param name="name">The job's name, unique among the host's jobs.</param>
    /// <exception cref="InvalidOperationException">A job named <paramref name="name"/> is already registered.</exception>
    public static IServiceCollection AddFreshetJob(this IServiceCollection services, string name, Action<StreamEnvironment, IServiceProvider> buildJob, Action<FreshetJobOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(buildJob);
        foreach (var descriptor in services)
        {
            if (descriptor.IsKeyedService && descriptor.ServiceType == typeof(FreshetJobService) && Equals(descriptor.ServiceKey, name))
            {
                throw new InvalidOperationException($"A Freshet job named '{name}' is already registered; job names are unique within a host.");
            }
        }

        var options = services.AddOptions<FreshetJobOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.BindConfiguration(ConfigurationSectionPrefix + name);
        services.AddKeyedSingleton(name, (provider, _) => new FreshetJobService(
            name,
            buildJob,
            provider,
            provider.GetRequiredService<IOptionsMonitor<FreshetJobOptions>>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<IHostApplicationLifetime>()));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<FreshetJobService>(name));
        return services;
    }
}
