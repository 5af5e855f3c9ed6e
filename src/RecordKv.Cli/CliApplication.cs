using System.CommandLine;
using RecordKv.Cli.Commands;

namespace RecordKv.Cli;

/// <summary>Builds the <c>recordkv</c> command tree and runs one command line with injectable output and error writers.</summary>
internal static class CliApplication
{
    /// <summary>Shows a stack trace for errors (they are otherwise one line).</summary>
    public static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Show details (a stack trace) when a command fails.",
        Recursive = true,
    };

    /// <summary>Builds the root command with every verb group.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("recordkv: inspect atproto repositories and operate a RecordKv deployment.");
        root.Options.Add(VerboseOption);
        root.Subcommands.Add(RepoCommands.Build());
        root.Subcommands.Add(SimCommand.Build());
        foreach (var command in StoreCommands.Build())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; never throws for a failing command, it returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var parseResult = BuildRootCommand().Parse(args);
        var verbose = parseResult.GetValue(VerboseOption);

        // Usage errors get the same one-line shape as command errors; --help/--version clear them and run instead.
        if (parseResult.Errors.Count > 0 && parseResult.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(CliErrorReporter.Prefix + parseError.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'recordkv --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            return CliErrorReporter.Report(exception, error, verbose);
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
