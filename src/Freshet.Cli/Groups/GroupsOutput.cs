using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Freshet.Cli.Groups;

/// <summary>
/// How <c>freshet groups</c> prints its results: columns as <c>kafka-consumer-groups</c> prints them, or with
/// <c>--output json</c> one JSON document (camelCase names, absent values as null) for scripts.
/// </summary>
internal static class GroupsOutput
{
    public const string Table = "table";
    public const string Json = "json";

    public static void WriteList(IReadOnlyList<GroupListing> groups, string format, TextWriter output)
    {
        if (format == Json)
        {
            WriteJson(output, json =>
            {
                json.WriteStartArray();
                foreach (var group in groups)
                {
                    json.WriteStartObject();
                    json.WriteString("group", group.GroupId);
                    json.WriteString("state", group.State);
                    json.WriteString("type", group.Type);
                    json.WriteString("protocolType", group.ProtocolType);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
            return;
        }

        var table = new TextTable("GROUP", "STATE", "TYPE", "PROTOCOL-TYPE");
        foreach (var group in groups)
        {
            table.Add(group.GroupId, group.State, group.Type, group.ProtocolType);
        }

        table.WriteTo(output);
    }

    public static void WriteDescription(GroupDescription group, string format, TextWriter output)
    {
        if (format == Json)
        {
            WriteJson(output, json => WriteDescriptionJson(json, group));
            return;
        }

        var memberCount = group.Members.Count.ToString(CultureInfo.InvariantCulture);
        output.WriteLine($"Consumer group '{group.GroupId}': state {group.State}, coordinator {group.Coordinator} (id {group.CoordinatorId.ToString(CultureInfo.InvariantCulture)}), assignor {(group.PartitionAssignor.Length == 0 ? "-" : group.PartitionAssignor)}, {memberCount} member{(group.Members.Count == 1 ? string.Empty : "s")}");
        output.WriteLine();
        if (group.Partitions.Count == 0)
        {
            output.WriteLine($"Consumer group '{group.GroupId}' has no committed offsets and no assigned partitions.");
        }
        else
        {
            var offsets = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
            foreach (var row in group.Partitions)
            {
                offsets.Add(group.GroupId, row.Partition.Topic, Number(row.Partition.Partition), Number(row.CommittedOffset), Number(row.LogEndOffset), Number(row.Lag), row.Member?.ConsumerId, row.Member?.Host, row.Member?.ClientId);
            }

            offsets.WriteTo(output);
        }

        output.WriteLine();
        if (group.Members.Count == 0)
        {
            output.WriteLine($"Consumer group '{group.GroupId}' has no active members.");
            return;
        }

        var members = new TextTable("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
        foreach (var member in group.Members)
        {
            members.Add(group.GroupId, member.ConsumerId, member.GroupInstanceId, member.Host, member.ClientId, Number(member.Assignment.Count));
        }

        members.WriteTo(output);
    }

    public static void WriteResetPlan(string groupId, IReadOnlyList<OffsetResetPlanRow> plan, bool executed, string format, TextWriter output)
    {
        if (format == Json)
        {
            WriteJson(output, json =>
            {
                json.WriteStartObject();
                json.WriteString("group", groupId);
                json.WriteBoolean("executed", executed);
                json.WriteStartArray("partitions");
                foreach (var row in plan)
                {
                    json.WriteStartObject();
                    json.WriteString("topic", row.Partition.Topic);
                    json.WriteNumber("partition", row.Partition.Partition);
                    WriteNumberOrNull(json, "currentOffset", row.CurrentOffset);
                    json.WriteNumber("newOffset", row.NewOffset);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
            return;
        }

        var table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
        foreach (var row in plan)
        {
            table.Add(groupId, row.Partition.Topic, Number(row.Partition.Partition), Number(row.CurrentOffset), Number(row.NewOffset));
        }

        table.WriteTo(output);
        output.WriteLine();
        output.WriteLine(executed
            ? $"Reset the offsets of consumer group '{groupId}' on {Number(plan.Count)} partition{(plan.Count == 1 ? string.Empty : "s")}."
            : "Dry run: nothing was changed. Add --execute to commit these offsets.");
    }

    private static void WriteDescriptionJson(Utf8JsonWriter json, GroupDescription group)
    {
        json.WriteStartObject();
        json.WriteString("group", group.GroupId);
        json.WriteString("state", group.State);
        json.WriteStartObject("coordinator");
        json.WriteNumber("id", group.CoordinatorId);
        json.WriteString("address", group.Coordinator);
        json.WriteEndObject();
        json.WriteString("assignor", group.PartitionAssignor);
        json.WriteStartArray("partitions");
        foreach (var row in group.Partitions)
        {
            json.WriteStartObject();
            json.WriteString("topic", row.Partition.Topic);
            json.WriteNumber("partition", row.Partition.Partition);
            WriteNumberOrNull(json, "currentOffset", row.CommittedOffset);
            WriteNumberOrNull(json, "logEndOffset", row.LogEndOffset);
            WriteNumberOrNull(json, "lag", row.Lag);
            json.WriteString("consumerId", row.Member?.ConsumerId);
            json.WriteString("host", row.Member?.Host);
            json.WriteString("clientId", row.Member?.ClientId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("members");
        foreach (var member in group.Members)
        {
            json.WriteStartObject();
            json.WriteString("consumerId", member.ConsumerId);
            json.WriteString("groupInstanceId", member.GroupInstanceId);
            json.WriteString("host", member.Host);
            json.WriteString("clientId", member.ClientId);
            json.WriteStartArray("assignment");
            foreach (var partition in member.Assignment)
            {
                json.WriteStartObject();
                json.WriteString("topic", partition.Topic);
                json.WriteNumber("partition", partition.Partition);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
