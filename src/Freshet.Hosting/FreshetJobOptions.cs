using Freshet.Streaming;
using Microsoft.Extensions.Logging;

namespace Freshet.Hosting;

/// <summary>
/// Options of one job run by <see cref="FreshetServiceCollectionExtensions.AddFreshetJob"/>: a named options instance
/// (the job's name) bound from the configuration section <c>Freshet:Jobs:{name}</c>
/// (<see cref="FreshetServiceCollectionExtensions.ConfigurationSectionPrefix"/>), so <c>appsettings.json</c>,
/// environment variables (<c>Freshet__Jobs__{name}__Parallelism</c>) and the command line can set it. Each property
/// maps onto <see cref="StreamEnvironmentOptions"/>; a null property keeps the engine's default. What has no
/// configuration form (the clock, the state backend's instance, a restart strategy) is set in
/// <see cref="ConfigureEnvironment"/>.
/// </summary>
public sealed class FreshetJobOptions
{
    /// <summary>Default number of subtasks of each operator (<see cref="StreamEnvironmentOptions.Parallelism"/>).</summary>
    public int? Parallelism { get; set; }

    /// <summary>Number of key groups (<see cref="StreamEnvironmentOptions.MaxParallelism"/>).</summary>
    public int? MaxParallelism { get; set; }

    /// <summary>Records per batch (<see cref="StreamEnvironmentOptions.BatchSize"/>).</summary>
    public int? BatchSize { get; set; }

    /// <summary>Longest wait of a record in a partly filled batch (<see cref="StreamEnvironmentOptions.BufferTimeout"/>).</summary>
    public TimeSpan? BufferTimeout { get; set; }

    /// <summary>Batches per channel before the sender blocks (<see cref="StreamEnvironmentOptions.ChannelCapacity"/>).</summary>
    public int? ChannelCapacity { get; set; }

    /// <summary>Where keyed state lives: <c>Heap</c> (default) or <c>RocksDb</c> (<see cref="StreamEnvironmentOptions.StateBackend"/>).</summary>
    public FreshetJobStateBackend StateBackend { get; set; } = FreshetJobStateBackend.Heap;

    /// <summary>With <see cref="StateBackend"/> <c>RocksDb</c>: the directory of the RocksDB instances; null for a temporary one.</summary>
    public string? RocksDbDirectory { get; set; }

    /// <summary>Periodic checkpoints; checkpointing is on when <see cref="FreshetJobCheckpointingOptions.Directory"/> is set.</summary>
    public FreshetJobCheckpointingOptions Checkpointing { get; } = new();

    /// <summary>
    /// A savepoint (or retained checkpoint) to start from (<see cref="StreamEnvironmentOptions.RestoreFromSavepoint"/>).
    /// When null and <see cref="SavepointOnStop"/> is set, the job starts from the newest complete savepoint in
    /// <see cref="SavepointDirectory"/>, so a host stopped with a savepoint continues where it stopped when it starts
    /// again. Either way, a newer complete checkpoint in the checkpoint directory takes precedence.
    /// </summary>
    public string? RestoreFromSavepoint { get; set; }

    /// <summary>Whether a restore may drop the state of operators that no longer exist (<see cref="StreamEnvironmentOptions.AllowNonRestoredState"/>).</summary>
    public bool AllowNonRestoredState { get; set; }

    /// <summary>
    /// When the host stops, take a savepoint and stop the job with it (<c>JobHandle.StopWithSavepointAsync</c>) instead
    /// of cancelling it; needs <see cref="Checkpointing"/>. The savepoint goes to a new <c>savepoint-{UTC time}</c>
    /// directory under <see cref="SavepointDirectory"/> and its path is logged (event 4003). It must complete within the
    /// host's <c>HostOptions.ShutdownTimeout</c> (30 s by default).
    /// </summary>
    public bool SavepointOnStop { get; set; }

    /// <summary>Where <see cref="SavepointOnStop"/> writes savepoints; default: <c>savepoints</c> under the checkpoint directory.</summary>
    public string? SavepointDirectory { get; set; }

    /// <summary>
    /// Stop the host (<c>IHostApplicationLifetime.StopApplication</c>) when the job finishes, as a batch job over bounded
    /// inputs does; default false: the host runs on, as after any background service that returned. A job that fails
    /// always ends the service with its <c>JobExecutionException</c>, and the host reacts as to any failed background
    /// service (<c>HostOptions.BackgroundServiceExceptionBehavior</c>: by default it stops).
    /// </summary>
    public bool StopHostWhenFinished { get; set; }

    /// <summary>The job's web dashboard and REST API, served while the job runs when <see cref="FreshetJobDashboardOptions.Port"/> is set.</summary>
    public FreshetJobDashboardOptions Dashboard { get; } = new();

    /// <summary>Application mode: the job as one instance of an application (docs/application-mode.md); on when <see cref="FreshetJobApplicationOptions.ApplicationId"/> is set.</summary>
    public FreshetJobApplicationOptions Application { get; } = new();

    /// <summary>
    /// Last changes to the environment's options before the job is built, for what configuration cannot express (a
    /// <see cref="TimeProvider"/>, a restart strategy, another state backend instance). Not bound from configuration.
    /// </summary>
    public Func<StreamEnvironmentOptions, StreamEnvironmentOptions>? ConfigureEnvironment { get; set; }

    /// <summary>The savepoint directory in effect: <see cref="SavepointDirectory"/>, or <c>savepoints</c> under the checkpoint directory.</summary>
    internal string? EffectiveSavepointDirectory =>
        SavepointDirectory ?? (Checkpointing.Directory is { } directory ? Path.Combine(directory, "savepoints") : null);

    /// <summary>The environment options these options describe, logging to <paramref name="loggerFactory"/>.</summary>
    /// <exception cref="InvalidOperationException">The options contradict each other.</exception>
    internal StreamEnvironmentOptions ToStreamEnvironmentOptions(string jobName, ILoggerFactory loggerFactory)
    {
        if (SavepointOnStop && string.IsNullOrWhiteSpace(Checkpointing.Directory))
        {
            throw new InvalidOperationException($"The hosted job '{jobName}' has SavepointOnStop set but no Checkpointing:Directory; a savepoint needs checkpointing.");
        }

        if (Application.ApplicationId is not null && string.IsNullOrWhiteSpace(Application.BootstrapServers))
        {
            throw new InvalidOperationException($"The hosted job '{jobName}' has Application:ApplicationId set but no Application:BootstrapServers.");
        }

        var defaults = new StreamEnvironmentOptions();
        var options = defaults with
        {
            Parallelism = Parallelism ?? defaults.Parallelism,
            MaxParallelism = MaxParallelism ?? defaults.MaxParallelism,
            BatchSize = BatchSize ?? defaults.BatchSize,
            BufferTimeout = BufferTimeout ?? defaults.BufferTimeout,
            ChannelCapacity = ChannelCapacity ?? defaults.ChannelCapacity,
            StateBackend = StateBackend == FreshetJobStateBackend.RocksDb ? Streaming.State.StateBackend.RocksDb(RocksDbDirectory) : Streaming.State.StateBackend.Heap,
            Checkpointing = string.IsNullOrWhiteSpace(Checkpointing.Directory) ? null : Checkpointing.ToCheckpointingOptions(),
            RestoreFromSavepoint = RestoreFromSavepoint ?? (SavepointOnStop ? SavepointDirectories.FindNewestComplete(EffectiveSavepointDirectory!) : null),
            AllowNonRestoredState = AllowNonRestoredState,
            Application = Application.ApplicationId is null ? null : Application.ToApplicationOptions(),
            LoggerFactory = loggerFactory,
        };
        return ConfigureEnvironment is null ? options : ConfigureEnvironment(options);
    }
}
