using Freshet.Cli;

// The `freshet` command: see FreshetCommand for the commands and exit codes.
return await FreshetCommand.RunAsync(args, Console.Out, Console.Error);
