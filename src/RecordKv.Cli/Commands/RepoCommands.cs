using System.CommandLine;
using RecordKv.Cli.Output;
using RecordKv.Cli.Repositories;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>repo</c> verbs: look inside a repository CAR export.</summary>
internal static class RepoCommands
{
    public static Command Build()
    {
        var repo = new Command("repo", "Inspect atproto repository CAR exports (com.atproto.sync.getRepo).");
        repo.Subcommands.Add(BuildInspect());
        repo.Subcommands.Add(BuildList());
        return repo;
    }

    private static Command BuildInspect()
    {
        var car = CarArgument();
        var didDocument = new Option<FileInfo>("--did-doc")
        {
            Description = "The account's DID document (JSON); when given, the commit signature is checked with its #atproto key.",
            HelpName = "DOC.json",
        };
        var inspect = new Command("inspect", "Load and verify a repository export, then print one JSON object describing it.")
        {
            car,
            didDocument,
        };
        inspect.SetAction(async (parseResult, cancellationToken) =>
        {
            var carFile = parseResult.GetRequiredValue(car);
            var didDocumentFile = parseResult.GetValue(didDocument);
            var export = await RepositoryExport.LoadAsync(carFile, cancellationToken).ConfigureAwait(false);
            var signature = didDocumentFile is null
                ? SignatureStatus.Unchecked
                : await export.CheckSignatureAsync(didDocumentFile, parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            new JsonLines(parseResult.InvocationConfiguration.Output)
                .WriteLine(writer => RepositoryJson.WriteReport(writer, export.Describe(signature)));
            return ExitCodes.Success;
        });
        return inspect;
    }

    private static Command BuildList()
    {
        var car = CarArgument();
        var list = new Command("ls", "Load and verify a repository export, then print one JSON line per record: uri, cid, value.")
        {
            car,
        };
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            var export = await RepositoryExport.LoadAsync(parseResult.GetRequiredValue(car), cancellationToken).ConfigureAwait(false);
            var lines = new JsonLines(parseResult.InvocationConfiguration.Output);
            foreach (var record in export.Records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lines.WriteLine(writer => RepositoryJson.WriteRecord(writer, record.Uri, record.Cid, record.WriteValue));
            }

            return ExitCodes.Success;
        });
        return list;
    }

    private static Argument<FileInfo> CarArgument() => new("FILE.car")
    {
        Description = "A repository export in CAR format.",
    };
}
