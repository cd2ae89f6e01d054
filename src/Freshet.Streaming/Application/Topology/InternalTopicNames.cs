using System.Text;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// Names of the topics an application creates for itself, all prefixed with the application id so that several
/// applications share a cluster: <c>{applicationId}-{uid}-repartition</c> joins two sub-topologies (with
/// <c>-{input}</c> before the suffix when the consuming operator has several inputs), and
/// <c>{applicationId}-{uid}-changelog</c> backs the state of one operator. Operator uids and state names
/// may hold characters Kafka does not allow in a topic name (a default uid is <c>3:KeyedProcess</c>); those become
/// <c>_</c>, and the planner refuses two uids that become the same name. Pure; thread-safe.
/// </summary>
internal static class InternalTopicNames
{
    /// <summary>Kafka's limit on a topic name's length.</summary>
    public const int MaxTopicNameLength = 249;

    /// <summary>The longest application id accepted: it leaves room in topic names for uids and suffixes.</summary>
    public const int MaxApplicationIdLength = 128;

    /// <summary>The repartition topic feeding input <paramref name="inputIndex"/> of the operator <paramref name="consumerUid"/>.</summary>
    public static string Repartition(string applicationId, string consumerUid, int inputIndex, int inputCount) =>
        Checked(inputCount > 1
            ? $"{applicationId}-{Sanitise(consumerUid)}-{inputIndex}-repartition"
            : $"{applicationId}-{Sanitise(consumerUid)}-repartition", consumerUid);

    /// <summary>The changelog topic of the operator <paramref name="uid"/>: its keyed states and its other checkpoint sections.</summary>
    public static string Changelog(string applicationId, string uid) =>
        Checked($"{applicationId}-{Sanitise(uid)}-changelog", uid);

    /// <summary>Null when <paramref name="applicationId"/> is a valid application id, else why not.</summary>
    public static string? RefusalOfApplicationId(string? applicationId)
    {
        if (string.IsNullOrWhiteSpace(applicationId))
        {
            return "it is empty";
        }

        if (applicationId.Length > MaxApplicationIdLength)
        {
            return $"it has {applicationId.Length} characters, more than the {MaxApplicationIdLength} allowed";
        }

        foreach (var c in applicationId)
        {
            if (!IsLegal(c))
            {
                return $"it contains '{c}'; only ASCII letters, digits, '.', '_' and '-' are allowed (it names the group and prefixes topic names)";
            }
        }

        return null;
    }

    /// <summary><paramref name="name"/> with every character Kafka refuses in a topic name replaced by <c>_</c>.</summary>
    public static string Sanitise(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(IsLegal(c) ? c : '_');
        }

        return builder.ToString();
    }

    private static bool IsLegal(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';

    private static string Checked(string topic, string uid) => topic.Length <= MaxTopicNameLength
        ? topic
        : throw new InvalidOperationException(
            $"The internal topic name '{topic}' has {topic.Length} characters, more than Kafka's {MaxTopicNameLength}; give the operator '{uid}' a shorter uid with .Uid(\"...\") or use a shorter application id.");
}
