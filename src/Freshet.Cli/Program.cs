using Freshet.Cli;

// The `freshet` command. For now it has one verb, `demo`, a walkthrough of the embedded log;
// the CLI issue replaces this dispatcher with System.CommandLine and adds broker, topics,
// produce and consume.
return args switch
{
    ["demo", .. var rest] => LogWalkthrough.Run(rest, Console.Out),
    ["--help" or "-h" or "help"] => Usage(Console.Out, 0),
    _ => Usage(Console.Error, 2),
};

static int Usage(TextWriter output, int exitCode)
{
    output.WriteLine("usage: freshet demo [--data DIR]");
    output.WriteLine();
    output.WriteLine("  demo   walk through the embedded log: topics, appends with every codec, reads,");
    output.WriteLine("         timestamp lookup, idempotent producers, retention and crash recovery.");
    output.WriteLine("         --data DIR keeps the data directory (default: a new temporary one).");
    return exitCode;
}
