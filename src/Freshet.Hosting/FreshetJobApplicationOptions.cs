using Freshet.Streaming;
using Freshet.Streaming.Sinks;

namespace Freshet.Hosting;

/// <summary>
/// The bindable form of <see cref="ApplicationOptions"/> (application mode, docs/application-mode.md): the section
/// <c>Application</c> of a hosted job's options. Setting <see cref="ApplicationId"/> runs the job in application mode;
/// a property left null keeps the engine's default.
/// </summary>
public sealed class FreshetJobApplicationOptions
{
    /// <summary>The application's id (<see cref="ApplicationOptions.ApplicationId"/>); null runs the whole job in this process.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The cluster's <c>bootstrap.servers</c> (<see cref="ApplicationOptions.BootstrapServers"/>); required with <see cref="ApplicationId"/>.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary><c>ExactlyOnce</c> or <c>AtLeastOnce</c> (<see cref="ApplicationOptions.ProcessingGuarantee"/>).</summary>
    public DeliveryGuarantee? ProcessingGuarantee { get; set; }

    /// <summary>How often each task commits (<see cref="ApplicationOptions.CommitInterval"/>).</summary>
    public TimeSpan? CommitInterval { get; set; }

    /// <summary>A stable name of this instance for static membership (<see cref="ApplicationOptions.GroupInstanceId"/>).</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>How long the group waits for a silent instance (<see cref="ApplicationOptions.SessionTimeout"/>).</summary>
    public TimeSpan? SessionTimeout { get; set; }

    /// <summary>How often the instance tells the group it is alive (<see cref="ApplicationOptions.HeartbeatInterval"/>).</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>Standby replicas per task (<see cref="ApplicationOptions.NumStandbyReplicas"/>).</summary>
    public int? NumStandbyReplicas { get; set; }

    /// <summary>Where the instance keeps its tasks' local state (<see cref="ApplicationOptions.StateDirectory"/>).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Further librdkafka properties (<see cref="ApplicationOptions.ClientProperties"/>), e.g. <c>security.protocol</c>.</summary>
    public Dictionary<string, string> ClientProperties { get; } = [];

    internal ApplicationOptions ToApplicationOptions()
    {
        var options = new ApplicationOptions { ApplicationId = ApplicationId!, BootstrapServers = BootstrapServers! };
        return options with
        {
            ProcessingGuarantee = ProcessingGuarantee ?? options.ProcessingGuarantee,
            CommitInterval = CommitInterval ?? options.CommitInterval,
            GroupInstanceId = GroupInstanceId ?? options.GroupInstanceId,
            SessionTimeout = SessionTimeout ?? options.SessionTimeout,
            HeartbeatInterval = HeartbeatInterval ?? options.HeartbeatInterval,
            NumStandbyReplicas = NumStandbyReplicas ?? options.NumStandbyReplicas,
            StateDirectory = StateDirectory ?? options.StateDirectory,
            ClientProperties = ClientProperties.Count == 0 ? null : new Dictionary<string, string>(ClientProperties, StringComparer.Ordinal),
        };
    }
}
