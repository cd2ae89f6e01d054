using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Freshet.Cli.Groups;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet groups list|describe|reset-offsets|delete</c>: the consumer groups of any Kafka-protocol cluster, as
/// Kafka's <c>kafka-consumer-groups</c> shows and manages them (see <see cref="ConsumerGroupAdmin"/>).
/// </summary>
internal static partial class FreshetCommand
{
    private static Command GroupsCommand(TextWriter output, TextWriter error)
    {
        var groups = new Command("groups", "List, describe, reset the offsets of and delete consumer groups, as kafka-consumer-groups does.");

        var list = new Command("list", "List the consumer groups: id, state, type and protocol type.");
        var (listBootstrap, listFormat) = AddGroupsOptions(list);
        list.SetAction((parse, _) => WithGroups(parse, error, "groups list", listBootstrap, admin =>
            GroupsOutput.WriteList(admin.List(), parse.GetValue(listFormat)!, output)));

        var describeGroup = GroupArgument();
        var describe = new Command("describe", "Show a group's state, coordinator and members, and per partition its committed offset, log end offset, lag and member.") { describeGroup };
        var (describeBootstrap, describeFormat) = AddGroupsOptions(describe);
        describe.SetAction((parse, _) => WithGroups(parse, error, "groups describe", describeBootstrap, admin =>
            GroupsOutput.WriteDescription(admin.Describe(parse.GetValue(describeGroup)!), parse.GetValue(describeFormat)!, output)));

        groups.Subcommands.Add(list);
        groups.Subcommands.Add(describe);
        groups.Subcommands.Add(ResetOffsetsCommand(output, error));

        var deleteGroup = GroupArgument();
        var delete = new Command("delete", "Delete an empty consumer group and its committed offsets.") { deleteGroup };
        var deleteBootstrap = BootstrapOption();
        delete.Options.Add(deleteBootstrap);
        delete.SetAction((parse, _) => WithGroups(parse, error, "groups delete", deleteBootstrap, admin =>
        {
            var name = parse.GetValue(deleteGroup)!;
            admin.Delete(name);
            output.WriteLine($"Deleted consumer group '{name}'.");
        }));
        groups.Subcommands.Add(delete);
        return groups;
    }

    private static Command ResetOffsetsCommand(TextWriter output, TextWriter error)
    {
        var group = GroupArgument();
        var topics = new Option<string[]>("--topic") { HelpName = "TOPIC[:P,P...]", Description = "A topic to reset, all its partitions (TOPIC) or some (TOPIC:0,2); repeatable.", AllowMultipleArgumentsPerToken = false };
        var allTopics = new Option<bool>("--all-topics") { Description = "Reset every partition the group has committed offsets for." };
        var toEarliest = new Option<bool>("--to-earliest") { Description = "To the log start offset." };
        var toLatest = new Option<bool>("--to-latest") { Description = "To the log end offset (skip everything there is now)." };
        var toOffset = new Option<long?>("--to-offset") { HelpName = "N", Description = "To this offset (clamped to the log)." };
        var shiftBy = new Option<long?>("--shift-by") { HelpName = "N", Description = "Move the committed offset by N (negative to re-read), clamped to the log." };
        var toDateTime = new Option<string?>("--to-datetime") { HelpName = "DATETIME", Description = "To the first record at or after this ISO-8601 time, e.g. 2026-12-07T10:00:00Z (no offset: local time, as Kafka)." };
        var execute = new Option<bool>("--execute") { Description = "Commit the new offsets (without it the plan is only printed)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print the plan (the default)." };
        var command = new Command("reset-offsets", "Move an inactive group's committed offsets: prints the plan (topic, partition, current and new offset); --execute commits it.")
        {
            group, topics, allTopics, toEarliest, toLatest, toOffset, shiftBy, toDateTime, execute, dryRun,
        };
        var (bootstrap, format) = AddGroupsOptions(command);
        command.Validators.Add(result =>
        {
            var targets = new[] { result.GetResult(toEarliest), result.GetResult(toLatest), result.GetResult(toOffset), result.GetResult(shiftBy), result.GetResult(toDateTime) }.Count(r => r is not null);
            if (targets != 1)
            {
                result.AddError("Give exactly one of --to-earliest, --to-latest, --to-offset N, --shift-by N, --to-datetime DATETIME.");
            }

            if ((result.GetResult(topics) is not null) == (result.GetResult(allTopics) is not null))
            {
                result.AddError("Give --topic TOPIC[:PARTITION,...] (repeatable) or --all-topics.");
            }

            if (result.GetResult(execute) is not null && result.GetResult(dryRun) is not null)
            {
                result.AddError("Give --execute or --dry-run, not both.");
            }

            foreach (var topic in result.GetValue(topics) ?? [])
            {
                if (!TopicSelection.TryParse(topic, out _, out var problem))
                {
                    result.AddError(problem!);
                }
            }

            if (result.GetValue(toDateTime) is { } time && !TryParseDateTime(time, out _))
            {
                result.AddError($"--to-datetime takes an ISO-8601 date and time such as 2026-12-07T10:00:00Z or 2026-12-07T10:00:00.000+01:00, got '{time}'.");
            }

            if (result.GetValue(toOffset) is < 0)
            {
                result.AddError("--to-offset must be 0 or more.");
            }
        });
        command.SetAction((parse, _) => WithGroups(parse, error, "groups reset-offsets", bootstrap, admin =>
        {
            OffsetResetTarget target =
                parse.GetValue(toEarliest) ? new OffsetResetTarget.Earliest()
                : parse.GetValue(toLatest) ? new OffsetResetTarget.Latest()
                : parse.GetValue(toOffset) is { } offset ? new OffsetResetTarget.ToOffset(offset)
                : parse.GetValue(shiftBy) is { } delta ? new OffsetResetTarget.ShiftBy(delta)
                : TryParseDateTime(parse.GetValue(toDateTime)!, out var time) ? new OffsetResetTarget.ToDateTime(time)
                : throw new ArgumentException("No reset target.");
            var selections = parse.GetValue(allTopics) ? null : (parse.GetValue(topics) ?? []).Select(TopicSelection.Parse).ToArray();
            var name = parse.GetValue(group)!;
            var plan = admin.PlanReset(name, selections, target);
            var executing = parse.GetValue(execute);
            if (executing)
            {
                admin.ApplyReset(name, plan);
            }

            GroupsOutput.WriteResetPlan(name, plan, executing, parse.GetValue(format)!, output);
        }));
        return command;
    }

    private static Argument<string> GroupArgument()
    {
        var group = new Argument<string>("group") { Description = "The consumer group's id." };
        group.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not { Length: > 0 })
            {
                result.AddError("The group id must not be empty.");
            }
        });
        return group;
    }

    private static Option<string> BootstrapOption() =>
        new("--bootstrap-server", "-b") { HelpName = "HOST:PORT", Description = "A Kafka-protocol broker, host:port (a 'freshet broker', Apache Kafka, Redpanda).", Required = true };

    private static (Option<string> Bootstrap, Option<string> Format) AddGroupsOptions(Command command)
    {
        var bootstrap = BootstrapOption();
        var format = new Option<string>("--output", "-o") { Description = "table (default) or json.", DefaultValueFactory = _ => GroupsOutput.Table };
        format.AcceptOnlyFromAmong(GroupsOutput.Table, GroupsOutput.Json);
        command.Options.Add(bootstrap);
        command.Options.Add(format);
        return (bootstrap, format);
    }

    private static Task<int> WithGroups(ParseResult parse, TextWriter error, string name, Option<string> bootstrap, Action<ConsumerGroupAdmin> action) =>
        Guarded(parse, error, name, () =>
        {
            using var admin = new ConsumerGroupAdmin(parse.GetValue(bootstrap)!);
            action(admin);
            return Task.FromResult(0);
        });

    /// <summary>An ISO-8601 date and time; without an offset it is local time, as <c>kafka-consumer-groups --to-datetime</c> reads it.</summary>
    private static bool TryParseDateTime(string text, out DateTimeOffset time)
    {
        time = default;
        return IsoDateTime().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out time);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex IsoDateTime();
}
