using Freshet.Cli;

// The `freshet` command. For now it has two verbs: `demo`, a walkthrough of the embedded log, and
// `broker`, a Kafka-compatible broker on a data directory. The CLI issue replaces this dispatcher
// with System.CommandLine and adds topics, produce and consume.
return args switch
{
    ["demo", .. var rest] => await RunDemoAsync(rest),
    ["log-walkthrough", .. var rest] => LogWalkthrough.Run(rest, Console.Out),
    ["broker", .. var rest] => await BrokerCommand.RunAsync(rest, Console.Out, Console.Error),
    ["--help" or "-h" or "help"] => Usage(Console.Out, 0),
    _ => Usage(Console.Error, 2),
};

static async Task<int> RunDemoAsync(string[] rest)
{
    // Temporary parsing until the System.CommandLine rewrite: demo [--data DIR] [--duration SECONDS].
    var data = Freshet.Cli.Demo.DemoOptions.DefaultDataDirectory;
    TimeSpan? duration = null;
    for (var i = 0; i + 1 < rest.Length; i += 2)
    {
        if (rest[i] == "--data")
        {
            data = rest[i + 1];
        }
        else if (rest[i] == "--duration")
        {
            duration = TimeSpan.FromSeconds(double.Parse(rest[i + 1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    return await Freshet.Cli.Demo.StreamingDemo.RunAsync(new Freshet.Cli.Demo.DemoOptions(data, duration), Spectre.Console.AnsiConsole.Console, Console.Out, Console.Error);
}

static int Usage(TextWriter output, int exitCode)
{
    output.WriteLine("usage: freshet demo [--data DIR]");
    output.WriteLine("       freshet broker --data DIR [--port N]");
    output.WriteLine();
    output.WriteLine("  demo   walk through the embedded log: topics, appends with every codec, reads,");
    output.WriteLine("         timestamp lookup, idempotent producers, retention and crash recovery.");
    output.WriteLine("         --data DIR keeps the data directory (default: a new temporary one).");
    output.WriteLine("  broker serve the log in DIR to any Kafka client on 127.0.0.1:N (default 9092)");
    output.WriteLine("         until Ctrl+C or SIGTERM; stopping flushes the log.");
    return exitCode;
}
