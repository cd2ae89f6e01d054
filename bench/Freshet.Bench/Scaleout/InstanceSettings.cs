using System.Globalization;
using Freshet.Streaming;

namespace Freshet.Bench.Scaleout;

/// <summary>
/// The application-mode options of the instance processes of one measurement, passed on their command lines
/// (<see cref="ToArguments"/>, read back by <see cref="ScaleoutInstanceCommand"/>). A variant of a measurement with
/// other options is the same measurement called with another value of this record.
/// </summary>
internal sealed record InstanceSettings
{
    /// <summary>Each task's commit interval (<see cref="ApplicationOptions.CommitInterval"/>).</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The group session timeout (<see cref="ApplicationOptions.SessionTimeout"/>).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The heartbeat interval (<see cref="ApplicationOptions.HeartbeatInterval"/>), at most a third of the session timeout.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Static membership: each instance gets a <see cref="ApplicationOptions.GroupInstanceId"/> of its own.</summary>
    public bool StaticMembership { get; init; }

    /// <summary>Standby replicas per task (<see cref="ApplicationOptions.NumStandbyReplicas"/>).</summary>
    public int StandbyReplicas { get; init; }

    /// <summary>One line for the report.</summary>
    public string Describe() =>
        $"commit {CommitInterval.TotalMilliseconds:0} ms, session {SessionTimeout.TotalMilliseconds:0} ms, heartbeat {HeartbeatInterval.TotalMilliseconds:0} ms, {(StaticMembership ? "static" : "dynamic")} membership, {StandbyReplicas} standby replicas";

    /// <summary>The options on an instance's command line.</summary>
    public IEnumerable<string> ToArguments() =>
    [
        "--commit-ms", Milliseconds(CommitInterval),
        "--session-ms", Milliseconds(SessionTimeout),
        "--heartbeat-ms", Milliseconds(HeartbeatInterval),
        "--static-membership", StaticMembership ? "true" : "false",
        "--standbys", StandbyReplicas.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>The options of one instance; <paramref name="instanceName"/> becomes its group instance id with <see cref="StaticMembership"/>.</summary>
    public ApplicationOptions ToApplicationOptions(string applicationId, string bootstrapServers, string instanceName, string stateDirectory) => new()
    {
        ApplicationId = applicationId,
        BootstrapServers = bootstrapServers,
        CommitInterval = CommitInterval,
        SessionTimeout = SessionTimeout,
        HeartbeatInterval = HeartbeatInterval,
        GroupInstanceId = StaticMembership ? instanceName : null,
        NumStandbyReplicas = StandbyReplicas,
        StateDirectory = stateDirectory,
    };

    /// <summary>Applies one option of <see cref="ToArguments"/>; false when <paramref name="name"/> is not one of them or the value is invalid.</summary>
    public bool TryApply(string name, string value, out InstanceSettings applied)
    {
        applied = this;
        if (name == "--static-membership")
        {
            if (!bool.TryParse(value, out var isStatic))
            {
                return false;
            }

            applied = this with { StaticMembership = isStatic };
            return true;
        }

        if (name == "--standbys")
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var standbys))
            {
                return false;
            }

            applied = this with { StandbyReplicas = standbys };
            return true;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms <= 0)
        {
            return false;
        }

        var span = TimeSpan.FromMilliseconds(ms);
        InstanceSettings? result = name switch
        {
            "--commit-ms" => this with { CommitInterval = span },
            "--session-ms" => this with { SessionTimeout = span },
            "--heartbeat-ms" => this with { HeartbeatInterval = span },
            _ => null,
        };
        applied = result ?? this;
        return result is not null;
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
