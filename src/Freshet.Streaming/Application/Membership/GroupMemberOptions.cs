namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// Settings of a <see cref="GroupMember"/>, with Kafka's names in the docs. Immutable; <see cref="Validate"/> checks
/// them before the member starts.
/// </summary>
internal sealed record GroupMemberOptions
{
    /// <summary>The longest group id or group instance id Kafka accepts, in characters.</summary>
    public const int MaxIdLength = 249;

    /// <summary>The group to join (Kafka's <c>group.id</c>); in application mode, the application id.</summary>
    public required string GroupId { get; init; }

    /// <summary>Brokers to ask for the group's coordinator, <c>host:port</c> separated by commas, tried in order (Kafka's <c>bootstrap.servers</c>).</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>
    /// The static member identity (Kafka's <c>group.instance.id</c>, KIP-345), or null for a dynamic member. A static
    /// member that restarts within <see cref="SessionTimeout"/> gets its old assignment back without a rebalance; by
    /// default it does not leave the group when it stops (see <see cref="GroupMember.LeaveAsync(bool, CancellationToken)"/>).
    /// Each process needs its own: a second process with the same id fences the first. Letters, digits, '.', '_' and
    /// '-', at most <see cref="MaxIdLength"/> characters.
    /// </summary>
    public string? GroupInstanceId { get; init; }

    /// <summary>The group's protocol type, which every member must share (Kafka Connect uses <c>connect</c>, consumers <c>consumer</c>).</summary>
    public string ProtocolType { get; init; } = "freshet";

    /// <summary>The one assignment protocol this member offers.</summary>
    public string ProtocolName { get; init; } = "freshet-tasks";

    /// <summary>
    /// How long the coordinator keeps a member that sends no heartbeat (Kafka's <c>session.timeout.ms</c>, default
    /// 45 s). Also bounds how long this member keeps its assignment while it cannot reach the coordinator: it revokes
    /// it itself once that long less one <see cref="HeartbeatInterval"/> has passed since it sent its last successful
    /// heartbeat, so it does not write for tasks the coordinator may already have given to another member. The broker
    /// bounds it (Kafka's
    /// <c>group.min.session.timeout.ms</c> and <c>group.max.session.timeout.ms</c>).
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// How often the member sends a heartbeat (Kafka's <c>heartbeat.interval.ms</c>, default 3 s); at most a third of
    /// <see cref="SessionTimeout"/> (Kafka's advice, required here because the member's lease on its assignment ends
    /// one interval before the session does, and a heartbeat needs time to be answered within the lease).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long the coordinator waits for every member to rejoin once a rebalance starts (the JoinGroup rebalance
    /// timeout, in Kafka consumers <c>max.poll.interval.ms</c>); default 60 s. A member that does not rejoin in time
    /// is removed. Freshet's members rejoin from their own loop, not between records, so they need little of it.
    /// </summary>
    public TimeSpan RebalanceTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for the answer to a request other than JoinGroup (Kafka's <c>request.timeout.ms</c>, default 30 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection and its ApiVersions exchange may take (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before retrying after a failure (Kafka's <c>retry.backoff.ms</c>, default 100 ms); it doubles with every failure in a row.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between retries (Kafka's <c>reconnect.backoff.max.ms</c>, default 1 s).</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The client id of every request (Kafka's <c>client.id</c>), shown by DescribeGroups.</summary>
    public string ClientId { get; init; } = "freshet";

    /// <summary>The largest response accepted, in bytes (see <see cref="KafkaConnectionOptions.MaxResponseBytes"/>).</summary>
    public int MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Whether the application commits offsets to the group with this member's generation (at-least-once,
    /// <see cref="GroupOffsetCommitter"/>); the member then refuses at start a broker without OffsetCommit v7.
    /// </summary>
    public bool CommitsOffsets { get; init; }

    /// <summary>The clock heartbeats, backoffs and the session deadline are measured on.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>TLS and SASL of the member's connections; default plaintext (application mode reads them from its client properties).</summary>
    public Security.ClientSecurity Security { get; init; } = Membership.Security.ClientSecurity.Plaintext;

    /// <summary>Checks every setting and parses <see cref="BootstrapServers"/>.</summary>
    /// <returns>The bootstrap brokers, in order.</returns>
    /// <exception cref="ArgumentException">A setting is out of range or malformed; the message names it.</exception>
    public IReadOnlyList<BrokerAddress> Validate()
    {
        RequireId(GroupId, nameof(GroupId), allowAnyCharacter: true);
        if (GroupInstanceId is not null)
        {
            RequireId(GroupInstanceId, nameof(GroupInstanceId), allowAnyCharacter: false);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(ProtocolType, nameof(ProtocolType));
        ArgumentException.ThrowIfNullOrWhiteSpace(ProtocolName, nameof(ProtocolName));
        ArgumentNullException.ThrowIfNull(ClientId, nameof(ClientId));
        ArgumentNullException.ThrowIfNull(Clock, nameof(Clock));
        RequireMilliseconds(SessionTimeout, nameof(SessionTimeout));
        RequireMilliseconds(HeartbeatInterval, nameof(HeartbeatInterval));
        RequireMilliseconds(RebalanceTimeout, nameof(RebalanceTimeout));
        RequireMilliseconds(RequestTimeout, nameof(RequestTimeout));
        RequireMilliseconds(ConnectTimeout, nameof(ConnectTimeout));
        RequireMilliseconds(RetryBackoff, nameof(RetryBackoff));
        if (HeartbeatInterval * 3 > SessionTimeout)
        {
            throw new ArgumentException($"HeartbeatInterval ({HeartbeatInterval}) must be at most a third of SessionTimeout ({SessionTimeout}).", nameof(HeartbeatInterval));
        }

        if (RetryBackoffMax < RetryBackoff)
        {
            throw new ArgumentException($"RetryBackoffMax ({RetryBackoffMax}) must not be shorter than RetryBackoff ({RetryBackoff}).", nameof(RetryBackoffMax));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxResponseBytes, 1024, nameof(MaxResponseBytes));
        return BrokerAddress.ParseList(BootstrapServers, nameof(BootstrapServers));
    }

    /// <summary>The settings of the connections the member opens.</summary>
    internal KafkaConnectionOptions ConnectionOptions() => new()
    {
        ClientId = ClientId,
        ConnectTimeout = ConnectTimeout,
        MaxResponseBytes = MaxResponseBytes,
        Security = Security,
        Clock = Clock,
    };

    private static void RequireId(string? id, string name, bool allowAnyCharacter)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"{name} must not be empty.", name);
        }

        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException($"{name} \"{id[..20]}…\" has {id.Length} characters; Kafka allows at most {MaxIdLength}.", name);
        }

        if (!allowAnyCharacter)
        {
            foreach (var c in id)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                {
                    throw new ArgumentException($"{name} \"{id}\" contains '{c}'; Kafka allows only ASCII letters, digits, '.', '_' and '-'.", name);
                }
            }
        }
    }

    private static void RequireMilliseconds(TimeSpan value, string name)
    {
        if (value < TimeSpan.FromMilliseconds(1) || value.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 1 ms and {int.MaxValue} ms.");
        }
    }
}
