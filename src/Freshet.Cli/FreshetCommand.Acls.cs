using System.CommandLine;
using Freshet.Broker.Security.Authorization;
using Freshet.Cli.Acls;
using Freshet.Cli.Targets;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet acls add|list|remove</c>: a broker's ACLs in the spirit of Kafka's <c>kafka-acls</c>, edited in its data
/// directory (<c>--data DIR</c>, broker stopped or running) or through the ACL APIs of a running cluster
/// (<c>--bootstrap-server HOST:PORT [--command-config client.properties]</c>). See docs/security.md.
/// </summary>
internal static partial class FreshetCommand
{
    private static Command AclsCommand(TextWriter output, TextWriter error)
    {
        var acls = new Command("acls", "Add, list and remove ACLs, as kafka-acls does: in a broker's data directory (--data) or through a running broker (--bootstrap-server).");
        acls.Subcommands.Add(AclsAddCommand(output, error));
        acls.Subcommands.Add(AclsListCommand(output, error));
        acls.Subcommands.Add(AclsRemoveCommand(output, error));
        return acls;
    }

    private static Command AclsAddCommand(TextWriter output, TextWriter error)
    {
        var command = new Command("add", "Add ACLs: every principal × host × operation × resource given.");
        var options = new AclOptions(command, patternDefault: "literal");
        command.Validators.Add(result =>
        {
            options.Validate(result, requireResource: true);
            if (result.GetResult(options.AllowPrincipals) is null && result.GetResult(options.DenyPrincipals) is null)
            {
                result.AddError("Give --allow-principal or --deny-principal (User:NAME, or User:* for everyone).");
            }

            if (result.GetResult(options.Operations) is null)
            {
                result.AddError("Give --operation (Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite or All).");
            }

            if (options.PatternType(result) is not (AclPatternType.Literal or AclPatternType.Prefixed))
            {
                result.AddError("--resource-pattern-type for add is literal or prefixed.");
            }
        });
        command.SetAction((parse, _) => WithAcls(parse, error, "acls add", options, admin =>
        {
            var bindings = options.Bindings(parse);
            foreach (var binding in bindings)
            {
                if (binding.ValidationProblem() is { } problem)
                {
                    throw new ArgumentException($"ACL {binding}: {problem}");
                }
            }

            admin.Add(bindings);
            output.WriteLine($"Added {bindings.Count} ACL{(bindings.Count == 1 ? "" : "s")}:");
            AclsOutput.Write(bindings, output);
        }));
        return command;
    }

    private static Command AclsListCommand(TextWriter output, TextWriter error)
    {
        var command = new Command("list", "List ACLs, all of them or those of the resources given (with --resource-pattern-type match: every ACL that applies to them).");
        var options = new AclOptions(command, patternDefault: "any");
        var principal = new Option<string?>("--principal") { HelpName = "User:NAME", Description = "Only the ACLs of this principal." };
        command.Options.Add(principal);
        command.Validators.Add(result => options.Validate(result, requireResource: false));
        command.SetAction((parse, _) => WithAcls(parse, error, "acls list", options, admin =>
        {
            var filters = options.Filters(parse, principals: parse.GetValue(principal) is { } p ? [p] : [], anyOperationWhenNone: true);
            var listed = filters.SelectMany(admin.List).Distinct().ToArray();
            AclsOutput.Write(listed, output);
        }));
        return command;
    }

    private static Command AclsRemoveCommand(TextWriter output, TextWriter error)
    {
        var command = new Command("remove", "Remove ACLs of the resources given: those of the principals, hosts and operations given, or all of them.");
        var options = new AclOptions(command, patternDefault: "literal");
        command.Validators.Add(result => options.Validate(result, requireResource: true));
        command.SetAction((parse, _) => WithAcls(parse, error, "acls remove", options, admin =>
        {
            var principals = (parse.GetValue(options.AllowPrincipals) ?? []).Concat(parse.GetValue(options.DenyPrincipals) ?? []).ToArray();
            var removed = admin.Remove(options.Filters(parse, principals, anyOperationWhenNone: true));
            output.WriteLine($"Removed {removed.Count} ACL{(removed.Count == 1 ? "" : "s")}{(removed.Count == 0 ? "." : ":")}");
            if (removed.Count > 0)
            {
                AclsOutput.Write(removed, output);
            }
        }));
        return command;
    }

    private static Task<int> WithAcls(ParseResult parse, TextWriter error, string name, AclOptions options, Action<IAclAdmin> action) =>
        Guarded(parse, error, name, () =>
        {
            using IAclAdmin admin = parse.GetValue(options.Data) is { } data
                ? new DataDirectoryAclAdmin(data)
                : new ClusterAclAdmin(parse.GetValue(options.Bootstrap)!, parse.GetValue(options.CommandConfig) is { } file ? ClientProperties.Load(file) : new Dictionary<string, string>());
            action(admin);
            return Task.FromResult(0);
        });

    /// <summary>The options <c>freshet acls</c> subcommands share, named as <c>kafka-acls</c> names them.</summary>
    private sealed class AclOptions
    {
        private static readonly Dictionary<string, AclOperation> OperationNames = Enum.GetValues<AclOperation>()
            .Where(static o => o is not (AclOperation.Unknown or AclOperation.Any))
            .ToDictionary(static o => o.ToString(), StringComparer.OrdinalIgnoreCase);

        public AclOptions(Command command, string patternDefault)
        {
            AllowPrincipals = new("--allow-principal") { HelpName = "User:NAME", Description = "A principal to allow (User:* for everyone); repeatable.", AllowMultipleArgumentsPerToken = false };
            DenyPrincipals = new("--deny-principal") { HelpName = "User:NAME", Description = "A principal to deny; repeatable.", AllowMultipleArgumentsPerToken = false };
            AllowHosts = new("--allow-host") { HelpName = "IP", Description = "A client address the allow ACLs apply to (default: every host, *); repeatable.", AllowMultipleArgumentsPerToken = false };
            DenyHosts = new("--deny-host") { HelpName = "IP", Description = "A client address the deny ACLs apply to (default: every host, *); repeatable.", AllowMultipleArgumentsPerToken = false };
            Hosts = new("--host") { HelpName = "IP", Description = "A client address for both allow and deny ACLs; repeatable.", AllowMultipleArgumentsPerToken = false };
            Operations = new("--operation") { HelpName = "OPERATION", Description = "Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite or All; repeatable.", AllowMultipleArgumentsPerToken = false };
            Topics = new("--topic") { HelpName = "TOPIC", Description = "A topic (or prefix, or * for every topic); repeatable.", AllowMultipleArgumentsPerToken = false };
            Groups = new("--group") { HelpName = "GROUP", Description = "A consumer group; repeatable.", AllowMultipleArgumentsPerToken = false };
            TransactionalIds = new("--transactional-id") { HelpName = "ID", Description = "A transactional id; repeatable.", AllowMultipleArgumentsPerToken = false };
            Cluster = new("--cluster") { Description = "The cluster resource (kafka-cluster)." };
            Pattern = new("--resource-pattern-type") { HelpName = "TYPE", Description = $"literal, prefixed, any or match (default {patternDefault}).", DefaultValueFactory = _ => patternDefault };
            Pattern.AcceptOnlyFromAmong("literal", "prefixed", "any", "match");
            Data = new("--data") { HelpName = "DIR", Description = "A broker's data directory: edit its ACL file directly (the broker may be running)." };
            Bootstrap = new("--bootstrap-server", "-b") { HelpName = "HOST:PORT", Description = "A running broker: use its ACL APIs." };
            CommandConfig = new("--command-config") { HelpName = "FILE", Description = "Client properties for --bootstrap-server (security.protocol, sasl.*, ssl.*)." };
            foreach (var option in new Option[] { AllowPrincipals, DenyPrincipals, AllowHosts, DenyHosts, Hosts, Operations, Topics, Groups, TransactionalIds, Cluster, Pattern, Data, Bootstrap, CommandConfig })
            {
                command.Options.Add(option);
            }
        }

        public Option<string[]> AllowPrincipals { get; }

        public Option<string[]> DenyPrincipals { get; }

        public Option<string[]> AllowHosts { get; }

        public Option<string[]> DenyHosts { get; }

        public Option<string[]> Hosts { get; }

        public Option<string[]> Operations { get; }

        public Option<string[]> Topics { get; }

        public Option<string[]> Groups { get; }

        public Option<string[]> TransactionalIds { get; }

        public Option<bool> Cluster { get; }

        public Option<string> Pattern { get; }

        public Option<string?> Data { get; }

        public Option<string?> Bootstrap { get; }

        public Option<string?> CommandConfig { get; }

        public AclPatternType PatternType(ParseResult parse) => PatternType(parse.GetValue(Pattern));

        public AclPatternType PatternType(System.CommandLine.Parsing.CommandResult result) => PatternType(result.GetValue(Pattern));

        public void Validate(System.CommandLine.Parsing.CommandResult result, bool requireResource)
        {
            if ((result.GetResult(Data) is null) == (result.GetResult(Bootstrap) is null))
            {
                result.AddError("Give --data DIR (edit a broker's ACL file) or --bootstrap-server HOST:PORT (use a running broker), not both.");
            }

            if (result.GetResult(CommandConfig) is not null && result.GetResult(Bootstrap) is null)
            {
                result.AddError("--command-config goes with --bootstrap-server.");
            }

            if (requireResource && Resources(result.GetValue(Topics), result.GetValue(Groups), result.GetValue(TransactionalIds), result.GetValue(Cluster)).Count == 0)
            {
                result.AddError("Give a resource: --topic, --group, --transactional-id or --cluster.");
            }

            foreach (var operation in result.GetValue(Operations) ?? [])
            {
                if (!OperationNames.ContainsKey(operation.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)))
                {
                    result.AddError($"Unknown operation '{operation}': use Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite or All.");
                }
            }

            foreach (var principal in (result.GetValue(AllowPrincipals) ?? []).Concat(result.GetValue(DenyPrincipals) ?? []))
            {
                var colon = principal.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || colon == principal.Length - 1)
                {
                    result.AddError($"A principal is written Type:Name, for example User:alice (got '{principal}').");
                }
            }
        }

        /// <summary>Every binding <c>add</c> asks for: allow and deny principals × their hosts × operations × resources.</summary>
        public List<AclBinding> Bindings(ParseResult parse)
        {
            var patternType = PatternType(parse);
            var bindings = new List<AclBinding>();
            foreach (var (type, name) in Resources(parse))
            {
                var pattern = new ResourcePattern(type, name, type == AclResourceType.Cluster ? AclPatternType.Literal : patternType);
                foreach (var (principals, hosts, permission) in new[]
                {
                    (parse.GetValue(AllowPrincipals) ?? [], HostsFor(parse, AllowHosts), AclPermissionType.Allow),
                    (parse.GetValue(DenyPrincipals) ?? [], HostsFor(parse, DenyHosts), AclPermissionType.Deny),
                })
                {
                    foreach (var principal in principals)
                    {
                        foreach (var host in hosts)
                        {
                            foreach (var operation in OperationsOf(parse))
                            {
                                bindings.Add(new AclBinding(pattern, new AccessControlEntry(principal, host, operation, permission)));
                            }
                        }
                    }
                }
            }

            return bindings;
        }

        /// <summary>
        /// The filters <c>list</c> and <c>remove</c> use: per resource given (or every resource when none is), per principal
        /// given (or any), per host given (or any), per operation given (or any).
        /// </summary>
        public List<AclBindingFilter> Filters(ParseResult parse, string[] principals, bool anyOperationWhenNone)
        {
            var patternType = PatternType(parse);
            IReadOnlyList<(AclResourceType Type, string? Name)> resources = [.. Resources(parse).Select(static r => (r.Type, (string?)r.Name))];
            if (resources.Count == 0)
            {
                resources = [(AclResourceType.Any, null)];
            }

            var hosts = (parse.GetValue(Hosts) ?? []).Concat(parse.GetValue(AllowHosts) ?? []).Concat(parse.GetValue(DenyHosts) ?? []).Select(static h => (string?)h).ToArray();
            var operations = OperationsOf(parse);
            var filters = new List<AclBindingFilter>();
            foreach (var (type, name) in resources)
            {
                foreach (var principal in principals.Length == 0 ? [null] : principals.Select(static p => (string?)p))
                {
                    foreach (var host in hosts.Length == 0 ? [null] : hosts)
                    {
                        foreach (var operation in operations.Count == 0 && anyOperationWhenNone ? [AclOperation.Any] : operations)
                        {
                            filters.Add(new AclBindingFilter(type, name, type == AclResourceType.Cluster && patternType == AclPatternType.Prefixed ? AclPatternType.Literal : patternType, principal, host, operation, AclPermissionType.Any));
                        }
                    }
                }
            }

            return filters;
        }

        private static AclPatternType PatternType(string? text) => text switch
        {
            "prefixed" => AclPatternType.Prefixed,
            "any" => AclPatternType.Any,
            "match" => AclPatternType.Match,
            _ => AclPatternType.Literal,
        };

        private List<AclOperation> OperationsOf(ParseResult parse) =>
            [.. (parse.GetValue(Operations) ?? []).Select(o => OperationNames[o.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)]).Distinct()];

        private string[] HostsFor(ParseResult parse, Option<string[]> specific)
        {
            var hosts = (parse.GetValue(specific) ?? []).Concat(parse.GetValue(Hosts) ?? []).Distinct(StringComparer.Ordinal).ToArray();
            return hosts.Length == 0 ? [AccessControlEntry.WildcardHost] : hosts;
        }

        private List<(AclResourceType Type, string Name)> Resources(ParseResult parse) =>
            Resources(parse.GetValue(Topics), parse.GetValue(Groups), parse.GetValue(TransactionalIds), parse.GetValue(Cluster));

        private static List<(AclResourceType Type, string Name)> Resources(string[]? topics, string[]? groups, string[]? transactionalIds, bool cluster)
        {
            var resources = new List<(AclResourceType, string)>();
            resources.AddRange((topics ?? []).Select(static t => (AclResourceType.Topic, t)));
            resources.AddRange((groups ?? []).Select(static g => (AclResourceType.Group, g)));
            resources.AddRange((transactionalIds ?? []).Select(static t => (AclResourceType.TransactionalId, t)));
            if (cluster)
            {
                resources.Add((AclResourceType.Cluster, ResourcePattern.ClusterName));
            }

            return resources;
        }
    }
}
