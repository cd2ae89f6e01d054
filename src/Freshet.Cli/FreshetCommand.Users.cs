using System.CommandLine;
using System.Globalization;
using Freshet.Broker.Security.Sasl;
using Freshet.Cli.Groups;
using Freshet.Cli.Targets;
using Freshet.Cli.Users;

namespace Freshet.Cli;

/// <summary>
/// <c>freshet users add|list|delete</c>: the SCRAM users SASL clients log in as (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), in a
/// data directory (<c>--data</c>, also while a broker serves it) or through a cluster's admin APIs
/// (<c>--bootstrap-server</c>, as Kafka's <c>kafka-configs --alter --add-config SCRAM-SHA-256=[...]</c>).
/// </summary>
internal static partial class FreshetCommand
{
    private static Command UsersCommand(TextWriter output, TextWriter error)
    {
        var users = new Command("users", "Add, list and delete the SCRAM users of SASL listeners (docs/security.md).");

        var addUser = UserArgument();
        var password = new Option<string?>("--password") { Description = "The password (visible to other local users in the process list; prefer --password-stdin)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var addMechanism = MechanismOption("The SCRAM mechanism of the credential (default SCRAM-SHA-256).", defaultValue: SaslMechanisms.ScramSha256);
        var iterations = new Option<int>("--iterations") { Description = "PBKDF2 iterations, 4096 to 16384 (default 4096).", DefaultValueFactory = _ => 4096 };
        var add = new Command("add", "Create a user, or set a new password: stores a salted SCRAM credential, never the password.") { addUser, password, passwordStdin, addMechanism, iterations };
        var addTarget = AddUsersTarget(add);
        add.Validators.Add(result =>
        {
            if ((result.GetResult(password) is not null) == result.GetValue(passwordStdin))
            {
                result.AddError("Give the password with --password PASSWORD or --password-stdin, one of them.");
            }

            if (result.GetResult(iterations) is { Implicit: false } given && given.GetValueOrDefault<int>() is var count and (< 4096 or > 16384))
            {
                result.AddError($"--iterations must be between 4096 and 16384 (got {count}).");
            }
        });
        add.SetAction((parse, _) => WithUsers(parse, error, "users add", addTarget, store =>
        {
            var secret = parse.GetValue(passwordStdin) ? Console.In.ReadLine() ?? "" : parse.GetValue(password)!;
            if (secret.Length == 0)
            {
                throw new ArgumentException("The password must not be empty.");
            }

            var user = parse.GetValue(addUser)!;
            var mechanism = parse.GetValue(addMechanism)!;
            store.Add(user, mechanism, secret, parse.GetValue(iterations));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Set the {mechanism} credential of user '{user}' ({parse.GetValue(iterations)} iterations)."));
        }));

        var list = new Command("list", "List the users: user, mechanism, iterations (never salts or keys).");
        var listTarget = AddUsersTarget(list);
        list.SetAction((parse, _) => WithUsers(parse, error, "users list", listTarget, store =>
        {
            var table = new TextTable("USER", "MECHANISM", "ITERATIONS");
            foreach (var credential in store.List())
            {
                table.Add(credential.User, credential.Mechanism, credential.Iterations.ToString(CultureInfo.InvariantCulture));
            }

            table.WriteTo(output);
        }));

        var deleteUser = UserArgument();
        var deleteMechanism = MechanismOption("Delete only this mechanism's credential (default: all of the user's).", defaultValue: null);
        var delete = new Command("delete", "Delete a user's SCRAM credentials; its open connections stay until they re-authenticate or reconnect.") { deleteUser, deleteMechanism };
        var deleteTarget = AddUsersTarget(delete);
        delete.SetAction((parse, _) => WithUsers(parse, error, "users delete", deleteTarget, store =>
        {
            var user = parse.GetValue(deleteUser)!;
            var mechanism = parse.GetValue(deleteMechanism);
            var deleted = store.Delete(user, mechanism);
            if (deleted == 0)
            {
                throw new CliException(mechanism is null ? $"User '{user}' has no SCRAM credentials." : $"User '{user}' has no {mechanism} credential.");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} SCRAM credential(s) of user '{user}'."));
        }));

        users.Subcommands.Add(add);
        users.Subcommands.Add(list);
        users.Subcommands.Add(delete);
        return users;
    }

    private static Argument<string> UserArgument()
    {
        var user = new Argument<string>("user") { Description = "The user name." };
        user.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && ScramCredentialStore.UserNameProblem(name) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return user;
    }

    private static Option<string?> MechanismOption(string description, string? defaultValue)
    {
        var mechanism = new Option<string?>("--mechanism") { HelpName = "SCRAM-SHA-256|SCRAM-SHA-512", Description = description, DefaultValueFactory = _ => defaultValue };
        mechanism.AcceptOnlyFromAmong(SaslMechanisms.ScramSha256, SaslMechanisms.ScramSha512);
        return mechanism;
    }

    private static (Option<string?> Data, Option<string?> Bootstrap, Option<string?> CommandConfig) AddUsersTarget(Command command)
    {
        var data = new Option<string?>("--data") { HelpName = "DIR", Description = "Edit the users of this data directory directly (also while a broker serves it)." };
        var bootstrap = new Option<string?>("--bootstrap-server", "-b") { HelpName = "HOST:PORT", Description = "Use a cluster's admin APIs (a 'freshet broker', Apache Kafka)." };
        var commandConfig = new Option<string?>("--command-config") { HelpName = "FILE", Description = "Client properties for --bootstrap-server (security.protocol, sasl.mechanism, sasl.username, sasl.password)." };
        command.Options.Add(data);
        command.Options.Add(bootstrap);
        command.Options.Add(commandConfig);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(data) is not null) == (result.GetResult(bootstrap) is not null))
            {
                result.AddError("Give --data DIR or --bootstrap-server HOST:PORT, one of them.");
            }

            if (result.GetResult(commandConfig) is not null && result.GetResult(bootstrap) is null)
            {
                result.AddError("--command-config goes with --bootstrap-server.");
            }
        });
        return (data, bootstrap, commandConfig);
    }

    private static Task<int> WithUsers(ParseResult parse, TextWriter error, string name, (Option<string?> Data, Option<string?> Bootstrap, Option<string?> CommandConfig) target, Action<IScramUsers> action) =>
        Guarded(parse, error, name, () =>
        {
            using IScramUsers store = parse.GetValue(target.Data) is { } data
                ? new DirectoryScramUsers(data)
                : new ClusterScramUsers(parse.GetValue(target.Bootstrap)!, parse.GetValue(target.CommandConfig) is { } file ? ClientProperties.Load(file) : new Dictionary<string, string>());
            action(store);
            return Task.FromResult(0);
        });
}
