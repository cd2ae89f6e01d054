using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Sinks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Freshet.Hosting.Tests;

/// <summary>A hosted job's options bind from the section Freshet:Jobs:{name}, over the defaults set in code.</summary>
public sealed class FreshetJobOptionsBindingTests
{
    [Fact]
    public void BindConfiguration_JobSection_OverridesCodeDefaultsAndMapsOntoTheEnvironment()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Freshet:Jobs:counts:Parallelism"] = "3",
            ["Freshet:Jobs:counts:BufferTimeout"] = "00:00:00.050",
            ["Freshet:Jobs:counts:Checkpointing:Directory"] = "/var/lib/counts/checkpoints",
            ["Freshet:Jobs:counts:Checkpointing:Interval"] = "00:00:02",
            ["Freshet:Jobs:counts:Checkpointing:Mode"] = "AtLeastOnce",
            ["Freshet:Jobs:counts:RestoreFromSavepoint"] = "/var/lib/counts/savepoints/sp-7",
            ["Freshet:Jobs:counts:SavepointOnStop"] = "true",
            ["Freshet:Jobs:counts:Application:ApplicationId"] = "counts",
            ["Freshet:Jobs:counts:Application:BootstrapServers"] = "127.0.0.1:9092",
            ["Freshet:Jobs:counts:Application:ProcessingGuarantee"] = "AtLeastOnce",
            ["Freshet:Jobs:counts:Application:ClientProperties:security.protocol"] = "PLAINTEXT",
            ["Freshet:Jobs:counts:Dashboard:Port"] = "8081",
            ["Freshet:Jobs:counts:Dashboard:Host"] = "0.0.0.0",
            ["Freshet:Jobs:counts:Dashboard:ServeMetrics"] = "false",
            ["Freshet:Jobs:other:Parallelism"] = "9",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddFreshetJob("counts", (_, _) => { }, options =>
        {
            options.Parallelism = 1;
            options.BatchSize = 7;
        });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<FreshetJobOptions>>().Get("counts");
        var environment = options.ToStreamEnvironmentOptions("counts", NullLoggerFactory.Instance);

        Assert.Equal(3, environment.Parallelism);
        Assert.Equal(7, environment.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), environment.BufferTimeout);
        Assert.Equal(128, environment.MaxParallelism);
        Assert.Equal("/var/lib/counts/checkpoints", environment.Checkpointing!.Directory);
        Assert.Equal(TimeSpan.FromSeconds(2), environment.Checkpointing.Interval);
        Assert.Equal(CheckpointingMode.AtLeastOnce, environment.Checkpointing.Mode);
        Assert.Equal(2, environment.Checkpointing.RetainedCheckpoints);
        Assert.Equal("/var/lib/counts/savepoints/sp-7", environment.RestoreFromSavepoint);
        Assert.True(options.SavepointOnStop);
        Assert.Equal(Path.Combine("/var/lib/counts/checkpoints", "savepoints"), options.EffectiveSavepointDirectory);
        Assert.Equal("counts", environment.Application!.ApplicationId);
        Assert.Equal("127.0.0.1:9092", environment.Application.BootstrapServers);
        Assert.Equal(DeliveryGuarantee.AtLeastOnce, environment.Application.ProcessingGuarantee);
        Assert.Equal("PLAINTEXT", environment.Application.ClientProperties!["security.protocol"]);
        Assert.Same(NullLoggerFactory.Instance, environment.LoggerFactory);
        Assert.Equal(8081, options.Dashboard.Port);
        Assert.Equal("0.0.0.0", options.Dashboard.Host);
        Assert.False(options.Dashboard.ServeMetrics);
        var other = provider.GetRequiredService<IOptionsMonitor<FreshetJobOptions>>().Get("other");
        Assert.Null(other.Dashboard.Port);
        Assert.Equal("127.0.0.1", other.Dashboard.Host);
        Assert.True(other.Dashboard.ServeMetrics);
    }

    [Fact]
    public void ToStreamEnvironmentOptions_NothingConfigured_KeepsTheEngineDefaults()
    {
        var environment = new FreshetJobOptions().ToStreamEnvironmentOptions("plain", NullLoggerFactory.Instance);

        Assert.Equal(Environment.ProcessorCount, environment.Parallelism);
        Assert.Null(environment.Checkpointing);
        Assert.Null(environment.Application);
        Assert.Null(environment.RestoreFromSavepoint);
    }

    [Fact]
    public void ToStreamEnvironmentOptions_SavepointOnStopWithoutCheckpointing_IsRefused()
    {
        var options = new FreshetJobOptions { SavepointOnStop = true };

        var error = Assert.Throws<InvalidOperationException>(() => options.ToStreamEnvironmentOptions("job", NullLoggerFactory.Instance));
        Assert.Contains("Checkpointing:Directory", error.Message, StringComparison.Ordinal);
    }
}
